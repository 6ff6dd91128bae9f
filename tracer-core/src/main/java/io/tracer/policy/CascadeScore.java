package io.tracer.policy;

/**
 * The one accept score of a two-stage (RSB) cascade, so a cascade is certified as a single
 * policy with a single threshold. Rows the first stage accepts (gate score {@code s1 >= t1})
 * score {@code 1 + s1}, in [1, 2]; the rest score the second gate's {@code s2}, in [0, 1].
 * A threshold {@code T <= 1} therefore accepts every first-stage row plus the second-stage
 * rows with {@code s2 >= T}; a threshold above 1 keeps only first-stage rows with
 * {@code 1 + s1 >= T}. Plain Java: the Spark job and the Spark-free router share it.
 */
public final class CascadeScore {
    private CascadeScore() {}

    public static double combine(double s1, double t1, double s2) {
        return s1 >= t1 ? 1.0 + s1 : s2;
    }

    /** 1 when the first stage handles a row at threshold T, 2 for the second, 0 when deferred. */
    public static int stage(double s1, double t1, double s2, double threshold) {
        double combined = combine(s1, t1, s2);
        if (!(combined >= threshold)) {
            return 0;
        }
        return s1 >= t1 ? 1 : 2;
    }
}
