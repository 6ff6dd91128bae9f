package io.tracer.route;

import io.tracer.certify.TargetOutcome;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.export.PortableExporter;
import io.tracer.serve.PortablePolicy;
import io.tracer.zoo.LabelIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What routing needs of a policy: the method, the certified threshold T on the policy's accept
 * score, the embedding width the models read, the out-of-distribution gate the certification
 * counted, and the stage models in their portable form, which {@link BatchRouter} broadcasts and
 * scores with the kernel.
 *
 * @param noneReason why nothing is deployed, when the method is NONE
 * @param dim        the embedding width the models were fitted on
 * @param ood        the out-of-distribution gate, or null when the policy has none (or it is switched off)
 * @param portable   the same policy as the kernel reads it (stage exports, OOD arrays)
 */
public record RoutingPlan(Family method, double threshold, LabelIndex labels, String noneReason, int dim,
                          OodGate ood, PortablePolicy portable) {

    /**
     * The plan of a fit's outcome at one target as the published policy would route it
     * ({@code FitResult.ood()} is what the certification counted). The models are exported to
     * their portable form in memory.
     */
    public static RoutingPlan of(TargetOutcome outcome, LabelIndex labels, int dim, Optional<OodGate> ood) {
        String origin = "fit outcome at target " + outcome.target();
        if (outcome.certified().isEmpty()) {
            return new RoutingPlan(Family.NONE, Double.NaN, labels, outcome.reason(), dim, null,
                    new PortablePolicy(PortablePolicy.newId(), origin, PolicyManifest.Method.NONE, labels.labels(),
                            Double.NaN, null, dim, outcome.reason(), List.of(), null));
        }
        double threshold = outcome.certified().get().threshold();
        List<PortablePolicy.Stage> stages = new ArrayList<>();
        for (PolicyStage s : outcome.deployed().orElseThrow().candidate().stages()) {
            stages.add(PortableExporter.inMemory(s.number(), stageThreshold(s, threshold),
                    origin + " stage " + s.number(), s.surrogate(), s.gate()));
        }
        OodGate gate = ood.orElse(null);
        PortablePolicy portable = new PortablePolicy(PortablePolicy.newId(), origin,
                PolicyManifest.Method.valueOf(outcome.method().name()), labels.labels(), threshold, null, dim, null,
                stages, gate == null ? null : new PortablePolicy.Ood(gate.centroids(), gate.thresholds()));
        return new RoutingPlan(outcome.method(), threshold, labels, null, dim, gate, portable);
    }

    /**
     * The threshold a stage is published with: for the first stage of an RSB cascade its cascade
     * threshold t1, for every other stage the certified threshold on the policy score.
     */
    static double stageThreshold(PolicyStage s, double certified) {
        return Double.isNaN(s.cascadeThreshold()) ? certified : s.cascadeThreshold();
    }

    /** The same plan without its out-of-distribution gate (routing then no longer matches the certificate). */
    public RoutingPlan withoutOod() {
        return new RoutingPlan(method, threshold, labels, noneReason, dim, null, portable.withoutOod());
    }
}
