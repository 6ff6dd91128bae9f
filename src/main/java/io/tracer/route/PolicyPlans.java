package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.gate.GateModel;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;

import java.util.ArrayList;
import java.util.List;

/** Turns a published policy artifact back into a {@link RoutingPlan} with its MLlib models. */
public final class PolicyPlans {
    private PolicyPlans() {}

    public static RoutingPlan load(LoadedPolicy policy) {
        PolicyManifest m = policy.manifest();
        LabelIndex labels = new LabelIndex(m.labels());
        if (m.method() == PolicyManifest.Method.NONE) {
            return new RoutingPlan(Family.NONE, List.of(), Double.NaN, labels, m.reason());
        }
        if (m.certification() == null) {
            throw new BadInputException("policy " + policy.uri() + " has method " + m.method()
                    + " but no certification");
        }
        Family family = Family.valueOf(m.method().name());
        List<PolicyStage> stages = new ArrayList<>();
        for (PolicyManifest.Stage s : m.stages()) {
            SurrogateModel surrogate = SurrogateModel.load(policy.resolve(s.surrogatePath()));
            GateModel gate = s.gatePath() == null ? null : GateModel.load(policy.resolve(s.gatePath()));
            // In a cascade the first stage's threshold is the cascade threshold t1; every other
            // stage is judged by the certified threshold on the policy score.
            double cascade = family == Family.RSB && s.stage() == 1 ? s.threshold() : Double.NaN;
            stages.add(new PolicyStage(s.stage(), surrogate, gate, cascade));
        }
        return new RoutingPlan(family, stages, m.certification().threshold(), labels, null);
    }
}
