package io.tracer.fit;

import io.tracer.certify.TargetOutcome;
import io.tracer.certify.TargetSelector;
import io.tracer.config.TracerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage certify: on the selection split, a candidate and a pre-registered test sequence per target;
 * on the calibration split, each target's sequence once ({@link TargetSelector}).
 */
public final class CertifyStage implements FitStage<CountedCandidates, Frontier> {
    private static final Logger LOG = LoggerFactory.getLogger(CertifyStage.class);

    private final TracerConfig.Calibrate config;

    public CertifyStage(TracerConfig.Calibrate config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "certify";
    }

    @Override
    public String describe(CountedCandidates counted) {
        return "choose and fix each target's sequence on selection, test it once on calibration";
    }

    @Override
    public Frontier run(CountedCandidates counted) {
        TargetSelector selector = new TargetSelector(config.delta(), config.minCoverage());
        List<TargetOutcome> outcomes = new ArrayList<>();
        TargetOutcome deployed = null;
        for (TargetOutcome o : selector.select(config.frontierTargets(), counted.candidates())) {
            double target = o.target();
            outcomes.add(o);
            if (Double.compare(target, config.deployTarget()) == 0) {
                deployed = o;
            }
            LOG.info("target {}: {} coverage {} ({})", target, o.method().id(),
                    String.format("%.4f", o.coverage()), o.reason());
        }
        return new Frontier(outcomes, deployed);
    }
}
