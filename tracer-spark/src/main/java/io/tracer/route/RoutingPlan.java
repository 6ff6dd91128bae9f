package io.tracer.route;

import io.tracer.ood.OodGate;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PolicyStage;
import io.tracer.certify.TargetOutcome;
import io.tracer.zoo.LabelIndex;

import java.util.List;
import java.util.Optional;

/**
 * What routing needs of a policy: the method, its stages with their models, the certified
 * threshold T on the policy's accept score, the embedding width the models read and the
 * out-of-distribution gate the certification counted.
 *
 * @param noneReason why nothing is deployed, when the method is NONE
 * @param dim        the embedding width the models were fitted on; 0 when unknown (no width check)
 * @param ood        the out-of-distribution gate, or null when the policy has none (or it is switched off)
 */
public record RoutingPlan(Family method, List<PolicyStage> stages, double threshold, LabelIndex labels,
                          String noneReason, int dim, OodGate ood) {

    /** The plan of a fit's outcome at one target, with the models still in memory; no width check, no OOD gate. */
    public static RoutingPlan of(TargetOutcome outcome, LabelIndex labels) {
        return of(outcome, labels, 0, Optional.empty());
    }

    /**
     * The plan of a fit's outcome at one target as the published policy would route it
     * ({@code FitResult.ood()} is what the certification counted).
     */
    public static RoutingPlan of(TargetOutcome outcome, LabelIndex labels, int dim, Optional<OodGate> ood) {
        if (outcome.certified().isEmpty()) {
            return new RoutingPlan(Family.NONE, List.of(), Double.NaN, labels, outcome.reason(), dim, null);
        }
        return new RoutingPlan(outcome.method(), outcome.deployed().orElseThrow().candidate().stages(),
                outcome.certified().get().threshold(), labels, null, dim, ood.orElse(null));
    }

    /** The same plan without its out-of-distribution gate (routing then no longer matches the certificate). */
    public RoutingPlan withoutOod() {
        return new RoutingPlan(method, stages, threshold, labels, noneReason, dim, null);
    }
}
