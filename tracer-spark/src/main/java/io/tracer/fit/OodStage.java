package io.tracer.fit;

import io.tracer.ood.OodCalibrator;
import io.tracer.config.TracerConfig;

import java.util.Optional;

/**
 * Stage ood: the out-of-distribution gate, measured on train rows only. The score stage flags
 * selection and calibration rows with it before any family counts them, and the families score
 * a flagged row NaN (never accepted): what is certified is the policy as routed, OOD deferrals
 * included.
 */
public final class OodStage implements FitStage<GateFit, OodFit> {
    private final TracerConfig.Ood config;

    public OodStage(TracerConfig.Ood config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "ood";
    }

    @Override
    public String describe(GateFit gates) {
        return "measure the out-of-distribution gate on train rows";
    }

    @Override
    public long rows(GateFit gates, OodFit ood) {
        return gates.surrogate().data().trainRows();
    }

    @Override
    public OodFit run(GateFit gates) {
        SurrogateFit surrogate = gates.surrogate();
        FitData data = surrogate.data();
        return new OodFit(gates, Optional.of(OodCalibrator.fit(surrogate.published().predict(data.train()),
                data.labels().size(), config)));
    }
}
