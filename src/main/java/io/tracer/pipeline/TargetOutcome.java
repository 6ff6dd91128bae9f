package io.tracer.pipeline;

import io.tracer.calibrate.Certification;

import java.util.List;
import java.util.Optional;

/**
 * The decision at one target: the deployed candidate and its certification, or none with the
 * reason (the parity gate), plus every candidate's row for the frontier table.
 */
public record TargetOutcome(double target, double delta, Optional<CandidateCertification> deployed, String reason,
                            List<CandidateCertification> candidates) {

    public Family method() {
        return deployed.map(d -> d.candidate().family()).orElse(Family.NONE);
    }

    public double coverage() {
        return deployed.map(d -> d.calibration().certifiedCoverage()).orElse(0.0);
    }

    public Optional<Certification.Certified> certified() {
        return deployed.map(d -> (Certification.Certified) d.calibration());
    }
}
