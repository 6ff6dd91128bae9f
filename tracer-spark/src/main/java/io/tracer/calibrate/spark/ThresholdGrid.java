package io.tracer.calibrate.spark;

import io.tracer.BadInputException;
import io.tracer.calibrate.QuantileGrid;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;

/**
 * Candidate thresholds from the SELECTION split's score distribution: the scores at the ranks
 * {@link QuantileGrid#ranks} picks, as a distinct strict-to-lenient sequence ending at the
 * minimum score (so "accept every scored row" is reachable).
 *
 * <p>Exact and independent of partitioning: {@code approxQuantile} is neither (its sketch
 * depends on how rows meet), so the scores are sorted, numbered in global order (partition
 * sizes, then local positions: what {@code zipWithIndex} does) and
 * only the ~gridSize chosen ranks are collected. The value at a rank of a sorted multiset is
 * unique, whatever the range partitioner's sample did. Null and NaN scores are left out.
 */
public final class ThresholdGrid {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdGrid.class);
    private static final String SCORE = "__tracer_score";

    private ThresholdGrid() {}

    /** Up to {@code gridSize} thresholds, strictly descending; empty when no row has a score. */
    public static double[] fromScores(Dataset<Row> selection, String scoreCol, int gridSize) {
        if (gridSize < 1) {
            throw new IllegalArgumentException("gridSize must be >= 1, got " + gridSize);
        }
        if (!Arrays.asList(selection.columns()).contains(scoreCol)) {
            throw new BadInputException("column '" + scoreCol + "' is missing; the table has "
                    + Arrays.toString(selection.columns()));
        }
        if (!(selection.schema().apply(scoreCol).dataType() instanceof NumericType)) {
            throw new BadInputException("column '" + scoreCol + "' must be numeric, got "
                    + selection.schema().apply(scoreCol).dataType().simpleString());
        }
        Column raw = col(scoreCol).cast("double");
        // + 0.0 folds -0.0 into 0.0, so equal scores are one value.
        Dataset<Row> scores = selection.where(raw.isNotNull().and(isnan(raw).unary_$bang()))
                .select(raw.plus(lit(0.0)).as(SCORE));
        // Sorted once; per-partition sizes (in partition order) give every row its global rank,
        // as zipWithIndex would, and their sum is the k the ranks need, so no separate count.
        JavaRDD<Double> sorted = scores.orderBy(col(SCORE)).javaRDD().map(r -> r.getDouble(0));
        List<Long> sizes = sorted.mapPartitions(ThresholdGrid::sizeOf).collect();
        long[] offsets = new long[sizes.size()];
        long k = 0;
        for (int p = 0; p < offsets.length; p++) {
            offsets[p] = k;
            k += sizes.get(p);
        }
        long[] ranks = QuantileGrid.ranks(k, gridSize);
        if (ranks.length == 0) {
            LOG.warn("no scored rows in '{}': the threshold grid is empty", scoreCol);
            return new double[0];
        }
        List<Double> picked = sorted.mapPartitionsWithIndex((p, it) -> pick(it, offsets[p], ranks), true).collect();
        if (picked.size() != ranks.length) {
            throw new IllegalStateException("picked " + picked.size() + " grid values for " + ranks.length + " ranks");
        }
        double[] values = picked.stream().mapToDouble(Double::doubleValue).toArray();
        double[] grid = QuantileGrid.thresholdsFromRankValues(values);
        LOG.debug("threshold grid: {} distinct thresholds from {} ranks of {} scored rows, {} .. {}",
                grid.length, ranks.length, k, grid[0], grid[grid.length - 1]);
        return grid;
    }

    private static Iterator<Long> sizeOf(Iterator<Double> it) {
        long c = 0;
        while (it.hasNext()) {
            it.next();
            c++;
        }
        return List.of(c).iterator();
    }

    /** The values of this partition whose global rank (offset + local index) is a grid rank. */
    private static Iterator<Double> pick(Iterator<Double> it, long offset, long[] ranks) {
        List<Double> out = new ArrayList<>();
        long index = offset;
        while (it.hasNext()) {
            double v = it.next();
            if (Arrays.binarySearch(ranks, index) >= 0) {
                out.add(v);
            }
            index++;
        }
        return out.iterator();
    }
}
