package io.tracer.certify;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.StartPoint;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.PipelineCandidate;

/**
 * One candidate at one target: what the selection split predicts (used for the choice) and
 * what calibration says. Only the selected candidate's calibration result is a guarantee;
 * the others are computed after the choice and shown for information.
 */
public record CandidateCertification(CandidateCounts counts, double target, StartPoint.Prediction predicted,
                              Certification calibration, boolean selected) {

    public PipelineCandidate candidate() {
        return counts.candidate();
    }

    public double predictedCoverage() {
        return predicted.certification().certifiedCoverage();
    }
}
