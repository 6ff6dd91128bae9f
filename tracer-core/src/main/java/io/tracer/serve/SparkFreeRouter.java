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

/**
 * Routes embeddings with a published policy without Spark, through the same {@link PolicyKernel}
 * Spark's {@code tracer route} runs per partition: a query is a block of one, a batch goes in
 * blocks of {@value #BATCH_ROWS}. The decisions are therefore those of {@code tracer route}
 * (decision = policy score >= the certified threshold; global scores 1, l2d the gate's score, rsb
 * the {@link CascadeScore} of its two stages).
 *
 * <p>Deferral reasons, first that applies: {@link DeferralReason#UNSEEN_FEATURE_WIDTH} (missing
 * embedding or not the encoder's width), {@link DeferralReason#UNSCORABLE} (see
 * {@link BoostedGate}), {@link DeferralReason#OUT_OF_DISTRIBUTION} (the policy's OOD gate, when its
 * manifest enables one: distance to the train centroid of the first-stage prediction above that
 * label's threshold, see {@link PortableOod}), {@link DeferralReason#GATE_SCORE}; a policy of
 * method none defers with {@link DeferralReason#NO_POLICY}. The details are worded as
 * tracer route's reason_detail.
 *
 * <p>Immutable once loaded and safe to share between threads (each thread routes through its own
 * {@link BlockRouter}). A policy whose stages lack a portable export is refused at load time with
 * the reason.
 */
public final class SparkFreeRouter {
    /** Rows per block when routing a batch. */
    public static final int BATCH_ROWS = 1024;

    private final LoadedPolicy policy;
    private final PolicyManifest manifest;
    private final PolicyKernel kernel;

    private SparkFreeRouter(LoadedPolicy policy, PolicyKernel kernel) {
        this.policy = policy;
        this.manifest = policy.manifest();
        this.kernel = kernel;
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
        return new SparkFreeRouter(policy, PolicyKernel.build(PortablePolicy.read(policy, conf)));
    }

    /** True when the policy's out-of-distribution gate is applied. */
    public boolean oodEnabled() {
        return kernel.oodEnabled();
    }

    /**
     * The same router without the out-of-distribution gate, as {@code tracer route --no-ood}
     * (routing then no longer matches what was certified).
     */
    public SparkFreeRouter withoutOod() {
        return new SparkFreeRouter(policy, kernel.withoutOod());
    }

    public PolicyManifest manifest() {
        return manifest;
    }

    public LoadedPolicy policy() {
        return policy;
    }

    /** The kernel this router runs. */
    public PolicyKernel kernel() {
        return kernel;
    }

    /** A block router of its own for a thread that routes many rows at once (no per-row allocation). */
    public BlockRouter newBlockRouter(int capacity) {
        return kernel.newBlockRouter(capacity);
    }

    /** Routes one embedding (the encoder's output for the input text). */
    public Decision route(float[] embedding) {
        return kernel.route(embedding);
    }

    /** Routes a batch, in blocks of {@value #BATCH_ROWS}; one decision per embedding, in order. */
    public List<Decision> route(List<float[]> embeddings) {
        List<Decision> out = new ArrayList<>(embeddings.size());
        BlockRouter router = kernel.newBlockRouter(Math.max(1, Math.min(BATCH_ROWS, embeddings.size())));
        EmbeddingBlock block = router.input();
        for (int from = 0; from < embeddings.size(); from += block.capacity()) {
            block.clear();
            int to = Math.min(embeddings.size(), from + block.capacity());
            for (int i = from; i < to; i++) {
                block.add(embeddings.get(i));
            }
            RoutedBlock routed = router.route();
            for (int i = 0; i < routed.rows(); i++) {
                out.add(routed.decision(i));
            }
        }
        return out;
    }
}
