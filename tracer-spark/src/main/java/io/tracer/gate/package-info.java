/**
 * Gates: per input, how likely the surrogate is to agree with the teacher.
 *
 * <p>{@link io.tracer.gate.ConfidenceFeatures} derives top-1, top-2, margin and normalised entropy
 * from the surrogate's probability vector with built-in array functions;
 * {@link io.tracer.gate.GateTrainer} fits a gate ("top1", "logistic", "boosted") on the zoo's
 * out-of-fold predictions only; {@link io.tracer.gate.GateModel} adds the accept score in [0, 1];
 * {@link io.tracer.gate.GateEvaluator} measures how well a score ranks agreeing rows first (AUC).
 */
package io.tracer.gate;
