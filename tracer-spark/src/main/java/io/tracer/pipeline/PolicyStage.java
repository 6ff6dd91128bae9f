package io.tracer.pipeline;

import io.tracer.gate.GateModel;
import io.tracer.zoo.SurrogateModel;

/**
 * A stage of a policy: a surrogate and the gate that decides whether its answer is used.
 *
 * @param gate            null for the global family, which accepts every row
 * @param cascadeThreshold for the first stage of an RSB cascade, the gate score at or above which
 *                         the first stage handles a row ({@link io.tracer.policy.CascadeScore}); NaN otherwise
 */
public record PolicyStage(int number, SurrogateModel surrogate, GateModel gate, double cascadeThreshold) {}
