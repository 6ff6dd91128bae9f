package io.tracer.fit;

import io.tracer.ood.OodGate;

import java.util.Optional;

/**
 * The ood stage's record: the surrogate, its gates and the out-of-distribution gate measured on
 * train rows (empty when {@code tracer.ood.enabled} is false).
 */
public record OodFit(GateFit gates, Optional<OodGate> ood) {
    /** The record when the OOD gate is switched off. */
    public static OodFit disabled(GateFit gates) {
        return new OodFit(gates, Optional.empty());
    }
}
