package io.tracer.fit;

import io.tracer.certify.TargetOutcome;
import io.tracer.certify.TargetSelector;
import io.tracer.config.TracerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Stage certify: per target, choose a candidate on the selection split and certify it on calibration. */
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
        return "choose on selection, certify on calibration, per target";
    }

    @Override
    public Frontier run(CountedCandidates counted) {
        TargetSelector selector = new TargetSelector(config.delta(), config.minCoverage());
        List<TargetOutcome> outcomes = new ArrayList<>();
        TargetOutcome deployed = null;
        for (double target : config.frontierTargets()) {
            TargetOutcome o = selector.select(target, counted.candidates());
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
