package io.tracer.fit;

import io.tracer.gate.GateModel;
import io.tracer.gate.NeighbourReference;

import java.util.Map;
import java.util.Optional;

/**
 * The gates stage's record: the surrogate, its gates by name in configured order, and the
 * neighbour reference the trained gates read (empty when the input is switched off), which the
 * RSB second stages' gates read too.
 */
public record GateFit(SurrogateFit surrogate, Map<String, GateModel> gates, Optional<NeighbourReference> neighbours) {
    public GateFit {
        gates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gates));
    }
}
