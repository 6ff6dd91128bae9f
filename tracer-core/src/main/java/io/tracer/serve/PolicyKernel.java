package io.tracer.serve;

import io.tracer.kernel.DenseMath;
import io.tracer.kernel.DenseMaths;
import io.tracer.policy.CascadeScore;
import io.tracer.policy.PolicyManifest.Method;

import java.util.ArrayList;
import java.util.List;

/**
 * The scoring kernel of one policy: routes a block of embeddings through the stage models, the
 * gates, the cascade and the OOD gate, and decides each row. Spark's {@code tracer route} runs it
 * per partition and the Spark-free router per query (a block of one), so both decide the same
 * way by construction.
 *
 * <p>The decision (global scores 1, l2d the gate's score, rsb the {@link CascadeScore} of its two
 * stages; handled when the score is a number at or above the certified threshold), and the
 * deferral reasons, first that applies: no policy, unseen feature width, unscorable (see
 * {@link BoostedGate}), out of distribution (distance to the train centroid of the first-stage
 * prediction above that label's threshold), gate score.
 *
 * <p>In a cascade the first stage handles a row when its gate score is a number at or above the
 * cascade threshold t1; every other row, a NaN score included, goes to the second stage, which
 * scores only those rows.
 *
 * <p>Immutable and safe to share between threads; each thread routes through its own
 * {@link BlockRouter}.
 */
public final class PolicyKernel {
    private final PortablePolicy source;
    private final List<PortableStage> stages;
    private final String[] labels;
    private final PortableOod ood;
    private final DenseMath math;

    /** A block of one per thread, so a single query allocates nothing but its decision. */
    private final ThreadLocal<BlockRouter> single;

    private PolicyKernel(PortablePolicy source, List<PortableStage> stages, PortableOod ood, DenseMath math) {
        this.source = source;
        this.stages = List.copyOf(stages);
        this.labels = source.labels().toArray(new String[0]);
        this.ood = ood;
        this.math = math;
        this.single = ThreadLocal.withInitial(() -> newBlockRouter(1));
    }

    /** The kernel on this JVM's best {@link DenseMath} (SIMD when the Vector API is there). */
    public static PolicyKernel build(PortablePolicy policy) {
        return build(policy, DenseMaths.best());
    }

    /** @throws RouterException when the policy cannot be routed (stages missing, unknown models) */
    public static PolicyKernel build(PortablePolicy policy, DenseMath math) {
        String id = "policy " + policy.origin();
        int expected = switch (policy.method()) {
            case NONE -> 0;
            case GLOBAL, L2D -> 1;
            case RSB -> 2;
        };
        if (policy.stages().size() != expected) {
            throw new RouterException(id + " with method " + policy.method() + " has " + policy.stages().size()
                    + " stages, expected " + expected);
        }
        if (policy.method() != Method.NONE && Double.isNaN(policy.threshold())) {
            throw new RouterException(id + " has method " + policy.method() + " but no certified threshold");
        }
        List<PortableStage> stages = new ArrayList<>();
        for (PortablePolicy.Stage s : policy.stages()) {
            PortableStage stage = PortableReader.read(s, policy.labels().size(), policy.dim(), math);
            if (policy.method() != Method.GLOBAL && stage.gate() == null) {
                throw new RouterException(id + " stage " + s.number() + " has no gate, which method "
                        + policy.method() + " needs");
            }
            stages.add(stage);
        }
        PortableOod ood = null;
        if (policy.ood() != null && policy.method() != Method.NONE) {
            ood = new PortableOod(policy.ood().centroids(), policy.ood().thresholds());
            if (ood.centroids().length != policy.labels().size() || ood.thresholds().length != policy.labels().size()
                    || ood.centroids()[0].length != policy.dim()) {
                throw new RouterException(id + ": the OOD gate has " + ood.centroids().length + " centroids of width "
                        + ood.centroids()[0].length + "; the policy has " + policy.labels().size()
                        + " labels of width " + policy.dim());
            }
        }
        return new PolicyKernel(policy, stages, ood, math);
    }

    /** The same kernel without the OOD gate (as {@code tracer route --no-ood}). */
    public PolicyKernel withoutOod() {
        return new PolicyKernel(source.withoutOod(), stages, null, math);
    }

    /** A router of blocks of up to {@code capacity} rows, for one thread. */
    public BlockRouter newBlockRouter(int capacity) {
        return new BlockRouter(this, new EmbeddingBlock(source.dim(), capacity),
                new RoutedBlock(labels, source.threshold(), source.dim(), source.noneReason(), capacity));
    }

    /** Routes one embedding ({@code null} when missing) as a block of one, in the calling thread. */
    public Decision route(float[] embedding) {
        BlockRouter router = single.get();
        EmbeddingBlock block = router.input();
        block.clear();
        block.add(embedding);
        return router.route().decision(0);
    }

    public PortablePolicy source() {
        return source;
    }

    public int dim() {
        return source.dim();
    }

    public boolean oodEnabled() {
        return ood != null;
    }

    public DenseMath math() {
        return math;
    }

    void route(EmbeddingBlock in, Workspace ws, RoutedBlock out) {
        int rows = in.rows();
        out.start(rows);
        if (source.method() == Method.NONE) {
            for (int i = 0; i < rows; i++) {
                out.noPolicy(i);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            if (!in.isValid(i)) {
                out.unseenWidth(i, in.width(i));
            }
        }
        int m = in.validCount();
        if (m == 0) {
            return;
        }
        FeatureRows x = new FeatureRows(in.values(), m, source.dim(), ws, Workspace.ROWS);
        int[] firstLabels = scoreStages(in, x, ws, out);
        double[] distance = null;
        if (ood != null) {
            distance = ws.doubles(Workspace.DISTANCE, m);
            ood.distances(x.doubles(), m, firstLabels, distance);
        }
        for (int v = 0; v < m; v++) {
            int row = in.validRow(v);
            if (out.isUnscorable(row)) {
                continue;
            }
            // The OOD gate reads the first stage's prediction, as certification did.
            if (ood != null && ood.flags(distance[v], firstLabels[v])) {
                out.outOfDistribution(row, distance[v], ood.threshold(firstLabels[v]));
            } else {
                out.decide(row);
            }
        }
    }

    /**
     * Scores the well-formed rows with the stages and records each one's policy score, stage and
     * label (or why it is unscorable).
     *
     * @return the first stage's predicted label index per well-formed row
     */
    private int[] scoreStages(EmbeddingBlock in, FeatureRows x, Workspace ws, RoutedBlock out) {
        int m = x.n();
        int k = labels.length;
        PortableStage first = stages.get(0);
        double[] p1 = ws.doubles(Workspace.PROBABILITY_1, m * k);
        int[] pred1 = ws.ints(Workspace.PREDICTION_1, m);
        first.surrogate().predict(x, ws, p1, pred1);
        double[] s1 = ws.doubles(Workspace.SCORE_1, m);
        String[] u1 = ws.clearedStrings(Workspace.UNSCORABLE_1, m);
        if (source.method() == Method.GLOBAL) {
            java.util.Arrays.fill(s1, 0, m, 1.0);
        } else {
            first.gate().score(p1, k, x, ws, s1, u1);
        }
        boolean cascade = source.method() == Method.RSB;
        double t1 = first.threshold();
        int[] second = ws.ints(Workspace.SECOND, m);
        int m2 = 0;
        for (int v = 0; v < m; v++) {
            int row = in.validRow(v);
            if (u1[v] != null) {
                out.unscorable(row, u1[v]);
            } else if (!cascade) {
                out.scored(row, s1[v], 1, pred1[v]);
            } else if (CascadeScore.firstStageHandles(s1[v], t1)) {
                out.scored(row, CascadeScore.combine(s1[v], t1, Double.NaN), 1, pred1[v]);
            } else {
                second[m2++] = v;
            }
        }
        if (m2 > 0) {
            scoreSecondStage(in, x.subset(second, m2), second, s1, t1, ws, out);
        }
        return pred1;
    }

    /** Stage 2 on the rows stage 1 passed on ({@code second[r]} is row r's index among the well-formed rows). */
    private void scoreSecondStage(EmbeddingBlock in, FeatureRows x2, int[] second, double[] s1, double t1,
                                  Workspace ws, RoutedBlock out) {
        int m2 = x2.n();
        int k = labels.length;
        PortableStage stage = stages.get(1);
        double[] p2 = ws.doubles(Workspace.PROBABILITY_2, m2 * k);
        int[] pred2 = ws.ints(Workspace.PREDICTION_2, m2);
        stage.surrogate().predict(x2, ws, p2, pred2);
        double[] s2 = ws.doubles(Workspace.SCORE_2, m2);
        String[] u2 = ws.clearedStrings(Workspace.UNSCORABLE_2, m2);
        stage.gate().score(p2, k, x2, ws, s2, u2);
        for (int r = 0; r < m2; r++) {
            int v = second[r];
            int row = in.validRow(v);
            if (u2[r] != null) {
                out.unscorable(row, u2[r]);
            } else {
                out.scored(row, CascadeScore.combine(s1[v], t1, s2[r]), 2, pred2[r]);
            }
        }
    }
}
