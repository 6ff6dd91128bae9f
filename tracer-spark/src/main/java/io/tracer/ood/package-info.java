/**
 * The out-of-distribution gate: inputs far, in embedding space, from anything the surrogate was
 * trained on are deferred whatever its confidence. {@link io.tracer.ood.OodCalibrator} measures
 * it on the train split at fit time, {@link io.tracer.ood.OodGate} holds it (label centroids and
 * per-label distance thresholds), travels in the policy artifact and flags rows with built-in
 * DataFrame expressions, the same expression at certification and at routing.
 */
package io.tracer.ood;
