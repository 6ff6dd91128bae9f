package io.tracer.policy;

/**
 * The one accept score of a two-stage (RSB) cascade, so a cascade is certified as a single
 * policy with a single threshold, and the one rule for scores that are not numbers.
 *
 * <p><b>The NaN rule</b>, followed by certification (the families' scores and threshold counts),
 * {@code tracer route} (BatchRouter) and the Spark-free router alike: a NaN or null score is
 * never accepted by its stage; a row whose first-stage score is NaN or null is not handled by
 * stage 1 and goes to stage 2, like any row stage 1 does not accept. Java's {@code >=} is false
 * for NaN, which is the rule; Spark SQL orders NaN above every number, so Spark code must not use
 * a bare {@code geq} (it uses {@code io.tracer.pipeline.ScoredColumns.accepts}). A null score (a
 * boxed or SQL null) is NaN here.
 *
 * <p>The cascade score: rows the first stage accepts (gate score {@code s1 >= t1}) score
 * {@code 1 + s1}, in [1, 2]; the rest score the second gate's {@code s2}, in [0, 1]. A threshold
 * {@code T <= 1} therefore accepts every first-stage row plus the second-stage rows with
 * {@code s2 >= T}; a threshold above 1 keeps only first-stage rows with {@code 1 + s1 >= T}.
 * Plain Java: the Spark job and the Spark-free router share it.
 */
public final class CascadeScore {
    private CascadeScore() {}

    /** True when {@code score} is a number at or above {@code threshold}: never for NaN. */
    public static boolean accepts(double score, double threshold) {
        return score >= threshold;
    }

    /** True when the first stage handles the row: {@code s1} is a number at or above {@code t1}. */
    public static boolean firstStageHandles(double s1, double t1) {
        return accepts(s1, t1);
    }

    /** The cascade's accept score; NaN when the stage that would answer has no score. */
    public static double combine(double s1, double t1, double s2) {
        return firstStageHandles(s1, t1) ? 1.0 + s1 : s2;
    }

    /** 1 when the first stage handles a row at threshold T, 2 for the second, 0 when deferred. */
    public static int stage(double s1, double t1, double s2, double threshold) {
        if (!accepts(combine(s1, t1, s2), threshold)) {
            return 0;
        }
        return firstStageHandles(s1, t1) ? 1 : 2;
    }
}
