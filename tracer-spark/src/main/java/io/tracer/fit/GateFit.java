package io.tracer.fit;

import io.tracer.gate.GateModel;

import java.util.Map;

/** The gates stage's record: the surrogate and its gates, by name, in configured order. */
public record GateFit(SurrogateFit surrogate, Map<String, GateModel> gates) {
    public GateFit {
        gates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gates));
    }
}
