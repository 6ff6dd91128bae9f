package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.gate.GateModel;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.Family;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.policy.export.PortableExporter;
import io.tracer.serve.PortablePolicy;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns a published policy artifact back into a {@link RoutingPlan}: its portable models, threshold and OOD gate. */
public final class PolicyPlans {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyPlans.class);

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

    /**
     * The plan of a published policy version. The kernel reads the version's portable export; a
     * version published without one (by a build from before the export) has its MLlib models
     * loaded and exported in memory instead, so it still routes. Missing or damaged files of
     * either are bad input, named by stage (see {@link #loadModel}).
     */
    public static RoutingPlan load(LoadedPolicy policy) {
        Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
        PolicyManifest m = policy.manifest();
        LabelIndex labels = new LabelIndex(m.labels());
        if (m.method() == PolicyManifest.Method.NONE) {
            return new RoutingPlan(Family.NONE, Double.NaN, labels, m.reason(), m.encoder().dim(), null,
                    PortablePolicy.read(policy, conf));
        }
        if (m.certification() == null) {
            throw new BadInputException("policy " + policy.uri() + " has method " + m.method()
                    + " but no certification");
        }
        OodGate ood = loadModel(policy, 0, "out-of-distribution gate", OodGate.CENTROIDS_FILE,
                () -> OodGate.fromManifest(m.ood(), policy::resolve, labels.size()));
        if (ood != null && ood.dim() != m.encoder().dim()) {
            throw new BadInputException("policy " + policy.uri() + ": ood centroids have width " + ood.dim()
                    + " but the encoder's is " + m.encoder().dim());
        }
        boolean exported = m.stages().stream().allMatch(s -> s.portablePath() != null);
        PortablePolicy portable;
        if (exported) {
            List<PortablePolicy.Stage> stages = new ArrayList<>();
            for (PolicyManifest.Stage s : m.stages()) {
                stages.add(loadModel(policy, s.stage(), "surrogate and gate", s.portablePath(),
                        () -> PortablePolicy.readStage(s.stage(), s.threshold(), policy.resolve(s.portablePath()),
                                conf)));
            }
            portable = PortablePolicy.of(policy, stages, conf);
        } else {
            portable = exportInMemory(policy, ood);
        }
        return new RoutingPlan(Family.valueOf(m.method().name()), m.certification().threshold(), labels, null,
                m.encoder().dim(), ood, portable);
    }

    private static PortablePolicy exportInMemory(LoadedPolicy policy, OodGate ood) {
        PolicyManifest m = policy.manifest();
        LOG.info("policy {} has no portable export; its MLlib models are converted in memory for the kernel",
                policy.versionId());
        List<PortablePolicy.Stage> stages = new ArrayList<>();
        for (PolicyManifest.Stage s : m.stages()) {
            SurrogateModel surrogate = loadModel(policy, s.stage(), "surrogate", s.surrogatePath(),
                    () -> SurrogateModel.load(policy.resolve(s.surrogatePath())));
            GateModel gate = s.gatePath() == null ? null : loadModel(policy, s.stage(), "gate", s.gatePath(),
                    () -> GateModel.load(policy.resolve(s.gatePath())));
            stages.add(PortableExporter.inMemory(s.stage(), s.threshold(), policy.uri() + " stage " + s.stage(),
                    surrogate, gate));
        }
        return new PortablePolicy(PortablePolicy.newId(), policy.uri(), m.method(), m.labels(),
                m.certification().threshold(), m.encoder().id(), m.encoder().dim(), m.reason(), stages,
                ood == null ? null : new PortablePolicy.Ood(ood.centroids(), ood.thresholds()));
    }
}
