package io.tracer.serve;

import io.tracer.policy.CascadeScore;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.policy.DeferralReason;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Routes embeddings with a published policy without Spark: the same decisions as
 * {@code io.tracer.route.BatchRouter} (in the Spark module) (decision = policy score >= the certified threshold;
 * global scores 1, l2d the gate's score, rsb the {@link CascadeScore} of its two stages).
 *
 * <p>Deferral reasons are BatchRouter's, first that applies: {@link DeferralReason#UNSEEN_FEATURE_WIDTH}
 * (missing embedding or not the encoder's width), {@link DeferralReason#OUT_OF_DISTRIBUTION} (the
 * policy's OOD gate, when its manifest enables one: distance to the train centroid of the
 * first-stage prediction above that label's threshold, see {@link PortableOod}),
 * {@link DeferralReason#GATE_SCORE}; a policy of method none defers with {@link DeferralReason#NO_POLICY}.
 * The details are worded as BatchRouter's reason_detail.
 *
 * <p>Immutable once loaded and safe to share between threads. A policy whose stages lack a
 * portable export is refused at load time with the reason; an input the router cannot score the
 * way Spark would (see {@link BoostedGate}) is deferred with {@link Decision#UNSCORABLE}, which is
 * always safe: the teacher answers.
 */
public final class SparkFreeRouter {
    private final LoadedPolicy policy;
    private final PolicyManifest manifest;
    private final List<PortableStage> stages;
    private final String[] labels;
    /** Null when the policy has no OOD gate (none published, or switched off at fit time). */
    private final PortableOod ood;

    private SparkFreeRouter(LoadedPolicy policy, List<PortableStage> stages, PortableOod ood) {
        this.policy = policy;
        this.manifest = policy.manifest();
        this.stages = List.copyOf(stages);
        this.labels = manifest.labels().toArray(new String[0]);
        this.ood = ood;
    }

    /** Loads with a default Hadoop configuration (local files, or whatever core-site.xml says). */
    public static SparkFreeRouter load(String policyUri) {
        return load(policyUri, new Configuration());
    }

    /**
     * @param policyUri a policy version directory (holding manifest.json) or a policy root, in
     *                  which case its CURRENT version is loaded; any Hadoop URI
     */
    public static SparkFreeRouter load(String policyUri, Configuration conf) {
        PolicyStore store = new PolicyStore(policyUri, conf);
        Path manifest = new Path(policyUri, PolicyStore.MANIFEST_FILE);
        boolean isVersion;
        try {
            isVersion = manifest.getFileSystem(conf).exists(manifest);
        } catch (IOException e) {
            throw new RouterException("cannot read policy " + policyUri + ": " + e.getMessage(), e);
        }
        LoadedPolicy policy = isVersion ? store.load(policyUri) : store.current().orElseThrow(
                () -> new RouterException("no policy at " + policyUri + ": neither a version directory with "
                        + PolicyStore.MANIFEST_FILE + " nor a policy root with a current version"));
        return of(policy, conf);
    }

    /** Builds the router for an already loaded policy version. */
    public static SparkFreeRouter of(LoadedPolicy policy, Configuration conf) {
        PolicyManifest m = policy.manifest();
        List<PortableStage> stages = new ArrayList<>();
        PortableReader reader = new PortableReader(conf);
        for (PolicyManifest.Stage s : m.stages()) {
            if (s.portablePath() == null) {
                throw new RouterException("policy " + policy.uri() + " stage " + s.stage() + " (surrogate "
                        + s.surrogate() + ") has no portable export (portable_path); its models can only be "
                        + "routed with Spark (tracer route)");
            }
            stages.add(reader.read(s.stage(), policy.resolve(s.portablePath()), s.threshold(), m.labels().size(),
                    m.encoder().dim()));
        }
        int expected = switch (m.method()) {
            case NONE -> 0;
            case GLOBAL, L2D -> 1;
            case RSB -> 2;
        };
        if (stages.size() != expected) {
            throw new RouterException("policy " + policy.uri() + " with method " + m.method() + " has "
                    + stages.size() + " stages, expected " + expected);
        }
        for (int i = 0; i < stages.size(); i++) {
            boolean needsGate = m.method() != PolicyManifest.Method.GLOBAL;
            if (needsGate && stages.get(i).gate() == null) {
                throw new RouterException("policy " + policy.uri() + " stage " + stages.get(i).number()
                        + " has no gate, which method " + m.method() + " needs");
            }
        }
        // BatchRouter reads the OOD gate only for a deployed method; so does this router.
        PortableOod ood = m.method() == PolicyManifest.Method.NONE ? null
                : PortableOod.fromManifest(m.ood(), policy::resolve, m.labels().size(), m.encoder().dim(), conf);
        return new SparkFreeRouter(policy, stages, ood);
    }

    /** True when the policy's out-of-distribution gate is applied. */
    public boolean oodEnabled() {
        return ood != null;
    }

    /**
     * The same router without the out-of-distribution gate, as {@code tracer route --no-ood}
     * (routing then no longer matches what was certified).
     */
    public SparkFreeRouter withoutOod() {
        return new SparkFreeRouter(policy, stages, null);
    }

    public PolicyManifest manifest() {
        return manifest;
    }

    public LoadedPolicy policy() {
        return policy;
    }

    /** Routes one embedding (the encoder's output for the input text). */
    public Decision route(float[] embedding) {
        if (manifest.method() == PolicyManifest.Method.NONE) {
            return Decision.deferred(Double.NaN, DeferralReason.NO_POLICY, "no policy certified: " + manifest.reason());
        }
        int dim = manifest.encoder().dim();
        if (embedding == null || embedding.length != dim) {
            // Spark's format_string formats with Locale.US.
            return Decision.deferred(Double.NaN, DeferralReason.UNSEEN_FEATURE_WIDTH, String.format(Locale.US,
                    "embedding width %d; the policy's models read %d", embedding == null ? -1 : embedding.length, dim));
        }
        double[] x = new double[embedding.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = embedding[i];
        }
        try {
            return switch (manifest.method()) {
                case GLOBAL -> {
                    int label = stages.get(0).surrogate().predict(x).prediction();
                    yield decide(1.0, 1, label, x, label);
                }
                case L2D -> single(x);
                case RSB -> cascade(x);
                case NONE -> throw new IllegalStateException("handled above");
            };
        } catch (Gate.Unroutable e) {
            return Decision.deferred(Double.NaN, Decision.UNSCORABLE, e.getMessage());
        }
    }

    /** Routes a batch; one decision per embedding, in order. */
    public List<Decision> route(List<float[]> embeddings) {
        List<Decision> out = new ArrayList<>(embeddings.size());
        for (float[] e : embeddings) {
            out.add(route(e));
        }
        return out;
    }

    private Decision single(double[] x) {
        PortableStage s = stages.get(0);
        Classifier.Output out = s.surrogate().predict(x);
        return decide(s.gate().score(out.probability(), x), 1, out.prediction(), x, out.prediction());
    }

    private Decision cascade(double[] x) {
        PortableStage first = stages.get(0);
        Classifier.Output out1 = first.surrogate().predict(x);
        double s1 = first.gate().score(out1.probability(), x);
        double t1 = first.threshold();
        // The NaN rule (CascadeScore): a NaN first-stage score is not accepted, so the row goes on to stage 2.
        if (CascadeScore.firstStageHandles(s1, t1)) {
            return decide(CascadeScore.combine(s1, t1, Double.NaN), 1, out1.prediction(), x, out1.prediction());
        }
        // The second stage only matters for rows the first one passes on.
        PortableStage second = stages.get(1);
        Classifier.Output out2 = second.surrogate().predict(x);
        double s2 = second.gate().score(out2.probability(), x);
        return decide(CascadeScore.combine(s1, t1, s2), 2, out2.prediction(), x, out1.prediction());
    }

    /**
     * @param firstLabel the first stage's predicted label index, which the OOD gate reads (as
     *                   certification did)
     */
    private Decision decide(double score, int stage, int labelIndex, double[] x, int firstLabel) {
        if (ood != null) {
            double distance = ood.distance(x, firstLabel);
            if (ood.flags(distance, firstLabel)) {
                return Decision.deferred(score, DeferralReason.OUT_OF_DISTRIBUTION, String.format(Locale.US,
                        "distance %.4f to the train centroid of the predicted label exceeds %.4f",
                        distance, ood.threshold(firstLabel)));
            }
        }
        double threshold = manifest.certification().threshold();
        // NaN is never accepted, as certification counted it (CascadeScore's rule).
        if (CascadeScore.accepts(score, threshold)) {
            return new Decision(true, labels[labelIndex], score, stage, null, null);
        }
        return Decision.deferred(score, DeferralReason.GATE_SCORE, String.format(Locale.US,
                "accept score %.4f below threshold %.4f", score, threshold));
    }
}
