package io.tracer.calibrate;

/**
 * Bonferroni split of the error budget: certifying each of m candidates (for instance several
 * pipelines all tested on the same calibration split) at {@code delta / m} keeps the chance
 * that any certificate is wrong at most {@code delta}. Not needed when the candidate was chosen
 * on the selection split and only that one is tested on calibration (see docs/guarantee.md).
 */
public final class UnionBound {
    private UnionBound() {}

    /** The per-candidate delta, {@code delta / candidates}. */
    public static double perCandidateDelta(double delta, int candidates) {
        if (!(delta > 0.0 && delta < 1.0)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("need at least one candidate, got " + candidates);
        }
        return delta / candidates;
    }
}
