package io.tracer.traces;

import io.tracer.BadInputException;

/**
 * What {@link SyntheticTraceGenerator} makes. Immutable and validated at construction.
 *
 * @param rows         number of traces
 * @param dim          embedding dimension
 * @param labels       number of teacher labels (at least 2)
 * @param noise        share of rows whose teacher label is a random label other than the true one
 * @param oodShare     share of out-of-distribution rows, placed far from every label centroid
 * @param seed         root seed; the generator derives its own stream from it
 * @param spread       per-coordinate standard deviation of a row around its label centroid;
 *                     centroids have norm about 1, so larger spreads make more labels overlap
 * @param zipfExponent label sizes follow weights 1 / rank^exponent (0 = equal sizes)
 */
public record SyntheticSpec(long rows, int dim, int labels, double noise, double oodShare, long seed,
                            double spread, double zipfExponent) {
    public static final int DEFAULT_DIM = 32;
    public static final int DEFAULT_LABELS = 20;
    public static final double DEFAULT_NOISE = 0.05;
    public static final double DEFAULT_OOD_SHARE = 0.02;
    /** Tuned so a logistic regression on the default spec agrees with the teacher on roughly 85-92% of rows. */
    public static final double DEFAULT_SPREAD = 0.17;
    public static final double DEFAULT_ZIPF_EXPONENT = 1.0;

    public SyntheticSpec {
        require(rows >= 0, "--rows", "must not be negative, was " + rows);
        require(dim >= 2, "--dim", "must be at least 2, was " + dim);
        require(labels >= 2 && labels <= 100_000, "--labels", "must be in [2, 100000], was " + labels);
        require(noise >= 0 && noise < 1, "--noise", "must be in [0, 1), was " + noise);
        require(oodShare >= 0 && oodShare <= 1, "--ood-share", "must be in [0, 1], was " + oodShare);
        require(spread > 0 && Double.isFinite(spread), "--spread", "must be positive, was " + spread);
        require(zipfExponent >= 0 && Double.isFinite(zipfExponent), "--zipf", "must be >= 0, was " + zipfExponent);
    }

    /** The given shape with the tuned spread and label-size skew. */
    public static SyntheticSpec of(long rows, int dim, int labels, double noise, double oodShare, long seed) {
        return new SyntheticSpec(rows, dim, labels, noise, oodShare, seed, DEFAULT_SPREAD, DEFAULT_ZIPF_EXPONENT);
    }

    /** The demo and test default: 20 labels, 32 dimensions, 5% teacher noise, 2% out-of-distribution rows. */
    public static SyntheticSpec defaults(long rows, long seed) {
        return of(rows, DEFAULT_DIM, DEFAULT_LABELS, DEFAULT_NOISE, DEFAULT_OOD_SHARE, seed);
    }

    private static void require(boolean ok, String flag, String why) {
        if (!ok) {
            throw new BadInputException("synthetic traces " + flag + ": " + why);
        }
    }
}
