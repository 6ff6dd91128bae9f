package io.tracer.certify;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.CertificationSequence;
import io.tracer.pipeline.Family;

import java.util.List;
import java.util.Optional;

/**
 * The decision at one target: a candidate deployed with its certificate, or nothing deployed
 * with the reason. Both carry every candidate's row for the frontier table and, when there was
 * one, the target's pre-registered sequence as calibration tested it.
 */
public sealed interface TargetOutcome permits TargetOutcome.Deployed, TargetOutcome.NothingDeployed {

    double target();

    double delta();

    /** Every candidate that served this target or has a step in its sequence, the deployed one first. */
    List<CandidateCertification> candidates();

    /** The target's sequence as tested on calibration; empty when no candidate pipeline was built. */
    Optional<CertificationSequence.Result> sequence();

    /** "certified" when deployed, else why nothing is. */
    String reason();

    /** The deployed candidate's family, {@link Family#NONE} when nothing is deployed. */
    default Family method() {
        return deployed().map(d -> d.candidate().family()).orElse(Family.NONE);
    }

    /** Certified coverage of the deployed candidate; 0 when nothing is deployed. */
    default double coverage() {
        return certified().map(Certification.Certified::coverage).orElse(0.0);
    }

    default Optional<CandidateCertification> deployed() {
        return this instanceof Deployed d ? Optional.of(d.chosen()) : Optional.empty();
    }

    default Optional<Certification.Certified> certified() {
        return this instanceof Deployed d ? Optional.of(d.certificate()) : Optional.empty();
    }

    /**
     * The target's sequence rejected "agreement below target" at {@code certificate}'s threshold of
     * {@code chosen}: the policy to publish and route.
     */
    record Deployed(double target, double delta, CandidateCertification chosen, Certification.Certified certificate,
                    List<CandidateCertification> candidates, CertificationSequence.Result tested)
            implements TargetOutcome {
        public Deployed {
            candidates = List.copyOf(candidates);
        }

        @Override
        public Optional<CertificationSequence.Result> sequence() {
            return Optional.of(tested);
        }

        @Override
        public String reason() {
            return "certified";
        }
    }

    /** Nothing certified (or certified below the useful minimum): every query goes to the teacher. */
    record NothingDeployed(double target, double delta, String reason, List<CandidateCertification> candidates,
                           Optional<CertificationSequence.Result> sequence) implements TargetOutcome {
        public NothingDeployed {
            candidates = List.copyOf(candidates);
        }
    }
}
