package io.tracer.serve;

import java.util.Arrays;

/**
 * The gate's confidence features of a probability vector, computed as
 * {@code io.tracer.gate.ConfidenceFeatures} does in Spark SQL: top-1, top-2, their margin, and
 * the entropy divided by ln K (accumulated left to right, {@code 0 ln 0 = 0}, floored at 0).
 * Spark SQL's log is {@link StrictMath#log}, so this uses it too.
 */
final class Confidence {
    private Confidence() {}

    /** {top1, top2, margin, normalised entropy}, the order the gates assemble them. */
    static double[] of(double[] p) {
        int k = p.length;
        double[] sorted = p.clone();
        // Like Spark's array_sort, NaN sorts above every number.
        Arrays.sort(sorted);
        double top1 = sorted[k - 1];
        double top2 = k >= 2 ? sorted[k - 2] : 0.0;
        double entropy = 0.0;
        for (double x : p) {
            entropy = entropy - (x > 0.0 ? x * StrictMath.log(x) : 0.0);
        }
        double normalised = k >= 2 ? Math.max(0.0, entropy / StrictMath.log((double) k)) : 0.0;
        return new double[] {top1, top2, top1 - top2, normalised};
    }
}
