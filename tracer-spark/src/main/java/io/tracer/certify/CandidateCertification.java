package io.tracer.certify;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.CertificationPlan;
import io.tracer.calibrate.StartPoint;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.PipelineCandidate;

import java.util.List;

/**
 * One candidate at one target: what the selection split predicts (used for the choice), where
 * the candidate sits in the target's pre-registered sequence, and what calibration says of the
 * candidate on its own. Only the target's sequence certifies ({@link TargetOutcome.Deployed#certificate});
 * {@code standalone} is the candidate's own fixed-sequence run, computed after the choice and
 * shown for information: keeping the best of several such runs would not keep the guarantee.
 *
 * @param selected   true for the candidate the selection split chose at this target
 * @param roles      the roles of this candidate's steps in the target's sequence (empty when none)
 * @param deployed   true for the candidate whose threshold the target deploys
 */
public record CandidateCertification(CandidateCounts counts, double target, StartPoint.Prediction predicted,
                                     Certification standalone, boolean selected,
                                     List<CertificationPlan.Role> roles, boolean deployed) {
    public CandidateCertification {
        roles = List.copyOf(roles);
    }

    public PipelineCandidate candidate() {
        return counts.candidate();
    }

    public double predictedCoverage() {
        return predicted.certification().certifiedCoverage();
    }

    /** The roles as written in the frontier table ("lead,fallback,selected"), null when none. */
    public String rolesId() {
        return roles.isEmpty() ? null : String.join(",", roles.stream().map(CertificationPlan.Role::id).toList());
    }
}
