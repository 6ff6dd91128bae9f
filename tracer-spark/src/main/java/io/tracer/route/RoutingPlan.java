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
        return of(outcome.method(), outcome.deployed().orElseThrow().candidate().stages(),
                outcome.certified().get().threshold(), labels, dim, ood.orElse(null), origin);
    }

    /**
     * The plan of stage models held in memory (exported to their portable form here).
     *
     * @param threshold the threshold T on the policy score
     * @param ood       the OOD gate, or null
     * @param origin    what the models are, for messages
     */
    public static RoutingPlan of(Family method, List<PolicyStage> stages, double threshold, LabelIndex labels,
                                 int dim, OodGate ood, String origin) {
        List<PortablePolicy.Stage> portable = new ArrayList<>();
        for (PolicyStage s : stages) {
            portable.add(PortableExporter.inMemory(s.number(), stageThreshold(s, threshold),
                    origin + " stage " + s.number(), s.surrogate(), s.gate()));
        }
        PortablePolicy policy = new PortablePolicy(PortablePolicy.newId(), origin,
                PolicyManifest.Method.valueOf(method.name()), labels.labels(), threshold, null, dim, null, portable,
                ood == null ? null : new PortablePolicy.Ood(ood.centroids(), ood.thresholds()));
        return new RoutingPlan(method, threshold, labels, null, dim, ood, policy);
    }

    /**
     * The threshold a stage is published with: for the first stage of an RSB cascade its cascade
     * threshold t1, for every other stage the certified threshold on the policy score.
     */
    static double stageThreshold(PolicyStage s, double certified) {
        return Double.isNaN(s.cascadeThreshold()) ? certified : s.cascadeThreshold();
    }

    /**
     * The same plan, its models declared to read {@code encoder}'s vectors (only for a plan held in
     * memory, which does not know its encoder: routing text needs to know).
     */
    public RoutingPlan readingVectorsOf(String encoder) {
        PortablePolicy p = portable;
        return new RoutingPlan(method, threshold, labels, noneReason, dim, ood, new PortablePolicy(PortablePolicy.newId(),
                p.origin(), p.method(), p.labels(), p.threshold(), encoder, p.dim(), p.noneReason(), p.stages(), p.ood()));
    }

    /** The same plan without its out-of-distribution gate (routing then no longer matches the certificate). */
    public RoutingPlan withoutOod() {
        return new RoutingPlan(method, threshold, labels, noneReason, dim, null, portable.withoutOod());
    }
}
