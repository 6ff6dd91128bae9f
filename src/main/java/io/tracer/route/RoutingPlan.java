package io.tracer.route;

import io.tracer.pipeline.Family;
import io.tracer.pipeline.PolicyStage;
import io.tracer.pipeline.TargetOutcome;
import io.tracer.zoo.LabelIndex;

import java.util.List;

/**
 * What routing needs of a policy: the method, its stages with their models, and the certified
 * threshold T on the policy's accept score.
 *
 * @param noneReason why nothing is deployed, when the method is NONE
 */
public record RoutingPlan(Family method, List<PolicyStage> stages, double threshold, LabelIndex labels,
                          String noneReason) {

    /** The plan of a fit's outcome at one target, with the models still in memory. */
    public static RoutingPlan of(TargetOutcome outcome, LabelIndex labels) {
        if (outcome.certified().isEmpty()) {
            return new RoutingPlan(Family.NONE, List.of(), Double.NaN, labels, outcome.reason());
        }
        return new RoutingPlan(outcome.method(), outcome.deployed().orElseThrow().candidate().stages(),
                outcome.certified().get().threshold(), labels, null);
    }
}
