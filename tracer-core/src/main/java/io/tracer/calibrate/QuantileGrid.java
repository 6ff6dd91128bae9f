package io.tracer.calibrate;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Which order statistics become candidate thresholds. The grid takes the scores at ascending
 * ranks {@code floor(j * k / gridSize)}, j = 0..gridSize-1, of the k scored selection rows:
 * rank 0 (the minimum) is always included, so "accept every scored row" is reachable, and
 * the strictest point still accepts about k / gridSize rows. Ties collapse, so the grid can be
 * shorter than gridSize. The Spark grid (io.tracer.calibrate.spark.ThresholdGrid) picks the same
 * ranks, so both give the same thresholds for the same scores.
 */
public final class QuantileGrid {
    private QuantileGrid() {}

    /** The distinct ascending ranks (0-based) into k sorted scores; empty when k = 0. */
    public static long[] ranks(long k, int gridSize) {
        if (gridSize < 1) {
            throw new IllegalArgumentException("gridSize must be >= 1, got " + gridSize);
        }
        if (k <= 0) {
            return new long[0];
        }
        long[] out = new long[(int) Math.min(gridSize, k)];
        int size = 0;
        long previous = -1;
        for (int j = 0; j < gridSize; j++) {
            // j * k can pass Long.MAX_VALUE for huge k; exact integer arithmetic either way.
            long rank = BigInteger.valueOf(j).multiply(BigInteger.valueOf(k))
                    .divide(BigInteger.valueOf(gridSize)).longValueExact();
            if (rank != previous) {
                out[size++] = rank;
                previous = rank;
            }
        }
        return Arrays.copyOf(out, size);
    }

    /**
     * The values at {@code ascendingRankValues} (score at each rank of {@link #ranks}, ascending)
     * as a strict-to-lenient threshold sequence: distinct, descending.
     */
    public static double[] thresholdsFromRankValues(double[] ascendingRankValues) {
        double[] sorted = ascendingRankValues.clone();
        for (int i = 0; i < sorted.length; i++) {
            if (Double.isNaN(sorted[i])) {
                throw new IllegalArgumentException("NaN among grid values");
            }
            sorted[i] = sorted[i] + 0.0;
        }
        Arrays.sort(sorted);
        double[] desc = new double[sorted.length];
        int size = 0;
        for (int i = sorted.length - 1; i >= 0; i--) {
            if (size == 0 || sorted[i] < desc[size - 1]) {
                desc[size++] = sorted[i];
            }
        }
        return Arrays.copyOf(desc, size);
    }

    /** Plain-Java grid from in-memory scores (NaN ignored): the reference for the Spark grid. */
    public static double[] fromScores(double[] scores, int gridSize) {
        double[] scored = Arrays.stream(scores).filter(s -> !Double.isNaN(s)).map(s -> s + 0.0).sorted().toArray();
        long[] ranks = ranks(scored.length, gridSize);
        double[] values = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            values[i] = scored[(int) ranks[i]];
        }
        return thresholdsFromRankValues(values);
    }
}
