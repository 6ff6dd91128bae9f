package io.tracer.fit;

import io.tracer.certify.TargetOutcome;

import java.util.List;

/**
 * The certify stage's record: the outcome at every target, ascending, and the one whose policy
 * is published (the configured deploy target's).
 */
public record Frontier(List<TargetOutcome> outcomes, TargetOutcome deployed) {
    public Frontier {
        outcomes = List.copyOf(outcomes);
        if (!outcomes.contains(deployed)) {
            throw new IllegalArgumentException("the deployed outcome is not on the frontier");
        }
    }

    /** The outcome at {@code target}, which must be on the frontier. */
    public TargetOutcome at(double target) {
        return outcomes.stream().filter(o -> Double.compare(o.target(), target) == 0).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no outcome for target " + target));
    }
}
