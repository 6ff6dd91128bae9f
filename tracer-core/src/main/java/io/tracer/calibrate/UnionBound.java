package io.tracer.calibrate;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Certifies every candidate on its calibration counts at {@code delta / m}, m the number of
     * candidates, so that picking any of the certified ones afterwards (e.g. the one with the
     * most coverage) is still valid at {@code delta}. {@code starts[i]} must come from the
     * selection split, as for a single candidate.
     */
    public static List<Certification> certifyAll(List<ThresholdCounts> calibrations, int[] starts,
                                                 double target, double delta) {
        if (calibrations.size() != starts.length) {
            throw new IllegalArgumentException("one start per candidate expected: " + calibrations.size()
                    + " candidates, " + starts.length + " starts");
        }
        double each = perCandidateDelta(delta, calibrations.size());
        List<Certification> out = new ArrayList<>(calibrations.size());
        for (int i = 0; i < starts.length; i++) {
            out.add(FixedSequence.run(calibrations.get(i), starts[i], target, each));
        }
        return List.copyOf(out);
    }
}
