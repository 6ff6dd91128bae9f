package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.gate.GateModel;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns a published policy artifact back into a {@link RoutingPlan} with its MLlib models. */
public final class PolicyPlans {
    private PolicyPlans() {}

    /**
     * The policy at {@code uri}: a version directory (it holds manifest.json) or a policy root,
     * whose CURRENT version is taken.
     *
     * @throws BadInputException when it is neither, or the root has no current policy
     */
    public static LoadedPolicy locate(String uri, Configuration hadoopConf) {
        boolean versionDir;
        try {
            Path manifest = new Path(uri, PolicyStore.MANIFEST_FILE);
            versionDir = manifest.getFileSystem(hadoopConf).exists(manifest);
        } catch (IllegalArgumentException | IOException e) {
            throw new BadInputException("--policy " + uri + " is not a readable Hadoop URI: " + e.getMessage(), e);
        }
        PolicyStore store;
        if (versionDir) {
            Path dir = new Path(uri);
            store = new PolicyStore(dir.getParent() == null ? uri : dir.getParent().toString(), hadoopConf);
            return store.load(uri);
        }
        store = new PolicyStore(uri, hadoopConf);
        return store.current().orElseThrow(() -> new BadInputException("--policy " + uri
                + " is neither a policy version directory (no " + PolicyStore.MANIFEST_FILE
                + ") nor a policy root with a " + PolicyStore.CURRENT_FILE + " version"));
    }

    /**
     * A model file of the policy, or one line saying which one cannot be loaded: a policy whose
     * files are missing or truncated is bad input to route and audit (exit 2), not a crash.
     */
    private static <T> T loadModel(LoadedPolicy policy, int stage, String what, String path,
                                   java.util.function.Supplier<T> load) {
        try {
            return load.get();
        } catch (Exception e) { // Spark's and Hadoop's readers throw checked exceptions unchecked
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = String.valueOf(root.getMessage());
            int nl = why.indexOf('\n');
            why = nl < 0 ? why : why.substring(0, nl);
            throw new BadInputException("policy " + policy.uri() + ": the " + (stage > 0 ? "stage " + stage + " " : "")
                    + what + " (" + path + ") cannot be loaded: its files are missing or damaged ("
                    + root.getClass().getSimpleName() + ": " + (why.length() > 300 ? why.substring(0, 300) + "..." : why)
                    + "); publish the policy again or route with another version", e);
        }
    }

    public static RoutingPlan load(LoadedPolicy policy) {
        PolicyManifest m = policy.manifest();
        LabelIndex labels = new LabelIndex(m.labels());
        if (m.method() == PolicyManifest.Method.NONE) {
            return new RoutingPlan(Family.NONE, List.of(), Double.NaN, labels, m.reason(), m.encoder().dim(), null);
        }
        if (m.certification() == null) {
            throw new BadInputException("policy " + policy.uri() + " has method " + m.method()
                    + " but no certification");
        }
        Family family = Family.valueOf(m.method().name());
        List<PolicyStage> stages = new ArrayList<>();
        for (PolicyManifest.Stage s : m.stages()) {
            SurrogateModel surrogate = loadModel(policy, s.stage(), "surrogate", s.surrogatePath(),
                    () -> SurrogateModel.load(policy.resolve(s.surrogatePath())));
            GateModel gate = s.gatePath() == null ? null : loadModel(policy, s.stage(), "gate", s.gatePath(),
                    () -> GateModel.load(policy.resolve(s.gatePath())));
            // In a cascade the first stage's threshold is the cascade threshold t1; every other
            // stage is judged by the certified threshold on the policy score.
            double cascade = family == Family.RSB && s.stage() == 1 ? s.threshold() : Double.NaN;
            stages.add(new PolicyStage(s.stage(), surrogate, gate, cascade));
        }
        OodGate ood = loadModel(policy, 0, "out-of-distribution gate", OodGate.CENTROIDS_FILE,
                () -> OodGate.fromManifest(m.ood(), policy::resolve, labels.size()));
        if (ood != null && ood.dim() != m.encoder().dim()) {
            throw new BadInputException("policy " + policy.uri() + ": ood centroids have width " + ood.dim()
                    + " but the encoder's is " + m.encoder().dim());
        }
        return new RoutingPlan(family, stages, m.certification().threshold(), labels, null, m.encoder().dim(), ood);
    }
}
