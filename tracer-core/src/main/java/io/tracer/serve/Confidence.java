package io.tracer.serve;

/**
 * The gate's confidence features of a probability vector, computed as
 * {@code io.tracer.gate.ConfidenceFeatures} does in Spark SQL: top-1, top-2, their margin, and
 * the entropy divided by ln K (accumulated left to right, {@code 0 ln 0 = 0}, floored at 0).
 * Spark SQL's log is {@link StrictMath#log}; this takes the same bits from {@link FdlibmLog},
 * without the native call per label.
 *
 * <p>Top-1 and top-2 are what Spark's ascending array_sort puts last: one pass with
 * {@link Double#compare}'s order (NaN above every number, -0.0 below 0.0) finds the same two
 * values without sorting.
 */
final class Confidence {
    /** How many features {@link #into} writes. */
    static final int FEATURES = 4;

    private Confidence() {}

    /** The largest of {@code k} values from {@code off}. */
    static double top1(double[] p, int off, int k) {
        double best = p[off];
        for (int i = off + 1, end = off + k; i < end; i++) {
            if (Double.compare(p[i], best) > 0) {
                best = p[i];
            }
        }
        return best;
    }

    /**
     * Writes {top1, top2, margin, normalised entropy}, the order the gates assemble them, to
     * {@code f[at..at+4)}.
     *
     * @param logK {@code StrictMath.log(k)}, computed once by the caller
     */
    static void into(double[] p, int off, int k, double logK, double[] f, int at) {
        double top1 = p[off];
        double top2 = Double.NEGATIVE_INFINITY;
        boolean second = false;
        double entropy = 0.0;
        for (int i = off, end = off + k; i < end; i++) {
            double x = p[i];
            if (i > off) {
                if (Double.compare(x, top1) > 0) {
                    top2 = top1;
                    top1 = x;
                } else if (!second || Double.compare(x, top2) > 0) {
                    top2 = x;
                }
                second = true;
            }
            entropy = entropy - (x > 0.0 ? x * FdlibmLog.log(x) : 0.0);
        }
        if (k < 2) {
            top2 = 0.0;
        }
        double normalised = k >= 2 ? Math.max(0.0, entropy / logK) : 0.0;
        f[at] = top1;
        f[at + 1] = top2;
        f[at + 2] = top1 - top2;
        f[at + 3] = normalised;
    }
}
