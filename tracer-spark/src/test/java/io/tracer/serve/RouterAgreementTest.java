package io.tracer.serve;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.ood.OodCalibrator;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.GateScores;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest.Method;
import io.tracer.route.BatchRouter;
import io.tracer.route.PolicyPlans;
import io.tracer.route.RouteColumns;
import io.tracer.testing.SparkTestSession;
import io.tracer.zoo.Features;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SyntheticClusters;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The Spark-free router against {@code tracer route}'s Spark path (PolicyPlans + BatchRouter on
 * the same published artifact) on every row of a held-out set, for each family and each kind of
 * gate: same decision, label, stage, reason and reason detail, scores within 1e-9. Policies with
 * the out-of-distribution gate are routed on the held-out rows plus synthetic far-away rows and
 * rows of an unseen width.
 */
class RouterAgreementTest {
    static final int K = 6;
    static final int DIM = 16;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Configuration conf;
    static LabelIndex labels;
    static Dataset<Row> train;
    static Dataset<Row> gateRows;
    static Dataset<Row> test;
    static SurrogateModel lr;
    static SurrogateModel mlp;
    static SurrogateModel xgb;
    static GateModel top1;
    static GateModel logistic;
    static GateModel boostedOnXgb;
    /** Measured on lr's predictions of the train rows, as the ood stage measures it on the first stage's. */
    static OodGate ood;
    /** {@link #test} plus far-away rows, rows one value too wide and a row with no embedding. */
    static Dataset<Row> withOutliers;

    @BeforeAll
    static void fitModels() {
        spark = SparkTestSession.get();
        conf = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> rows = SyntheticClusters.make(1200, K, DIM, 0.45, 3);
        labels = LabelIndex.fromTeacher(rows);
        Dataset<Row> all = RouterFixtures.prepare(rows, labels)
                .withColumn("part", pmod(xxhash64(col(Columns.TRACE_ID)), lit(3))).cache();
        train = all.where(col("part").equalTo(1)).drop("part").cache();
        // Gates learn from rows the surrogates did not see, as out-of-fold predictions would be;
        // on its own training rows XGBoost agrees everywhere and the boosted gate is constant.
        gateRows = all.where(col("part").equalTo(2)).drop("part").cache();
        test = all.where(col("part").equalTo(0)).drop("part", Columns.FEATURES).cache();
        lr = RouterFixtures.fit(RouterFixtures.spec("lr-1e-3", DIM, K), train, labels, DIM);
        mlp = RouterFixtures.fit(RouterFixtures.spec("mlp-1x32", DIM, K), train, labels, DIM);
        xgb = RouterFixtures.fit(RouterFixtures.spec("xgb", DIM, K), train, labels, DIM);
        top1 = RouterFixtures.gate("top1", lr, gateRows);
        logistic = RouterFixtures.gate("logistic", lr, gateRows);
        boostedOnXgb = RouterFixtures.gate("boosted", xgb, gateRows);
        // A 0.9 quantile so some held-out rows are flagged too, not only the synthetic ones.
        ood = OodCalibrator.fit(lr.predict(train), K, new TracerConfig.Ood(true, 0.9, 30));
        Dataset<Row> far = test.limit(80)
                .withColumn(Columns.TRACE_ID, concat(lit("far-"), col(Columns.TRACE_ID)))
                .withColumn(Columns.EMBEDDING, transform(col(Columns.EMBEDDING),
                        v -> v.multiply(3.0).plus(1.5).cast("float")));
        Dataset<Row> wide = test.limit(5)
                .withColumn(Columns.TRACE_ID, concat(lit("wide-"), col(Columns.TRACE_ID)))
                .withColumn(Columns.EMBEDDING, concat(col(Columns.EMBEDDING), array(lit(0.5f))));
        Dataset<Row> missing = test.limit(1)
                .withColumn(Columns.TRACE_ID, concat(lit("null-"), col(Columns.TRACE_ID)))
                .withColumn(Columns.EMBEDDING, lit(null).cast(test.schema().apply(Columns.EMBEDDING).dataType()));
        withOutliers = test.unionByName(far).unionByName(wide).unionByName(missing).cache();
    }

    @AfterAll
    static void release() {
        train.unpersist();
        gateRows.unpersist();
        test.unpersist();
        withOutliers.unpersist();
    }

    @Test
    void l2dLogisticWithTop1Gate() {
        double t = median(lr, top1);
        Agreement a = compare("lr-top1", Method.L2D, List.of(new PolicyStage(1, lr, top1, Double.NaN)), t);
        a.assertMixed();
    }

    @Test
    void l2dLogisticWithLogisticGate() {
        double t = median(lr, logistic);
        compare("lr-logistic", Method.L2D, List.of(new PolicyStage(1, lr, logistic, Double.NaN)), t).assertMixed();
    }

    @Test
    void globalMlp() {
        Agreement a = compare("mlp-global", Method.GLOBAL, List.of(new PolicyStage(1, mlp, null, Double.NaN)), 1.0);
        assertEquals(a.rows, a.handled, "global handles every row");
    }

    @Test
    void l2dXgboostWithBoostedGate() {
        double t = median(xgb, boostedOnXgb);
        compare("xgb-boosted", Method.L2D, List.of(new PolicyStage(1, xgb, boostedOnXgb, Double.NaN)), t)
                .assertMixed();
    }

    @Test
    void rsbCascadeOfLogisticThenXgboostWithBoostedGate() {
        double t1 = quantile(lr, logistic, 0.7);
        double t = quantile(xgb, boostedOnXgb, 0.5);
        Agreement a = compare("rsb", Method.RSB, List.of(new PolicyStage(1, lr, logistic, t1),
                new PolicyStage(2, xgb, boostedOnXgb, Double.NaN)), t);
        a.assertMixed();
        assertTrue(a.byStage[1] > 0 && a.byStage[2] > 0, "both stages handle rows: " + a);
    }

    @Test
    void gatesWithTheNeighbourInputRouteAsSparkDoesInBothStages() {
        // the reference comes from the surrogates' train rows, as the fit samples it from train rows
        GateModel logisticN = RouterFixtures.neighbourGate("logistic", lr, gateRows, train, 200);
        GateModel boostedN = RouterFixtures.neighbourGate("boosted", xgb, gateRows, train, 200);
        double t = median(xgb, boostedN);
        compare("xgb-boosted-neighbours", Method.L2D, List.of(new PolicyStage(1, xgb, boostedN, Double.NaN)), t)
                .assertMixed();
        double t1 = quantile(lr, logisticN, 0.7);
        Agreement a = compare("rsb-neighbours", Method.RSB, List.of(new PolicyStage(1, lr, logisticN, t1),
                new PolicyStage(2, xgb, boostedN, Double.NaN)), t);
        a.assertMixed();
        assertTrue(a.byStage[1] > 0 && a.byStage[2] > 0, "both stages handle rows: " + a);
    }

    @Test
    void l2dWithTheOodGateDefersFarRowsAndUnseenWidthsAsSparkDoes() {
        double t = median(lr, logistic);
        Agreement a = compare("lr-logistic-ood", Method.L2D, List.of(new PolicyStage(1, lr, logistic, Double.NaN)),
                t, false, ood, withOutliers);
        a.assertMixed();
        assertTrue(a.ood >= 80, "every far row (and some held-out ones) is out of distribution: " + a);
        assertEquals(6, a.width, "wide and missing embeddings: " + a);
        assertTrue(a.gateScore > 0, a.toString());
    }

    @Test
    void rsbWithTheOodGateReadsTheFirstStagesPrediction() {
        double t1 = quantile(lr, logistic, 0.7);
        double t = quantile(xgb, boostedOnXgb, 0.5);
        Agreement a = compare("rsb-ood", Method.RSB, List.of(new PolicyStage(1, lr, logistic, t1),
                new PolicyStage(2, xgb, boostedOnXgb, Double.NaN)), t, false, ood, withOutliers);
        a.assertMixed();
        assertTrue(a.ood >= 80 && a.byStage[1] > 0 && a.byStage[2] > 0, a.toString());
    }

    @Test
    void globalWithTheOodGateStillDefersFarRows() {
        Agreement a = compare("mlp-global-ood", Method.GLOBAL, List.of(new PolicyStage(1, mlp, null, Double.NaN)),
                1.0, false, ood, withOutliers);
        assertTrue(a.ood >= 80 && a.handled > 0, a.toString());
        assertEquals(a.rows, a.handled + a.ood + a.width, "global defers only OOD and unseen widths: " + a);
    }

    /**
     * A gate trained on an agree label of one value is constant (here every row agrees: the gate
     * scores 1); it exports and routes like any other.
     */
    @Test
    void constantGateFromOneClassRowsRoutesAsSparkDoes() {
        GateModel constant = RouterFixtures.gate("boosted", lr,
                lr.predictWithAgree(gateRows).withColumn(Columns.AGREE, lit(1.0)), false);
        assertEquals(1.0, constant.constantScore().orElseThrow());
        Agreement a = compare("lr-constant-ood", Method.L2D, List.of(new PolicyStage(1, lr, constant, Double.NaN)),
                0.5, false, ood, withOutliers);
        assertEquals(a.rows, a.handled + a.ood + a.width, "a score of 1 passes every in-distribution row: " + a);
        assertTrue(a.handled > 0 && a.ood > 0, a.toString());
    }

    /** T above 1: only first-stage rows with 1 + s1 >= T are handled, by both routers; stage 2 never is. */
    @Test
    void rsbThresholdAboveOneKeepsOnlyFirstStageRows() {
        double t1 = quantile(lr, logistic, 0.5);
        double t = 1.0 + quantile(lr, logistic, 0.8);
        assertTrue(t > 1.0);
        Agreement a = compare("rsb-above-one", Method.RSB, List.of(new PolicyStage(1, lr, logistic, t1),
                new PolicyStage(2, xgb, boostedOnXgb, Double.NaN)), t);
        a.assertMixed();
        assertEquals(0, a.byStage[2], "a second-stage score is at most 1: " + a);
        assertEquals(a.handled, a.byStage[1], a.toString());
        // about a fifth of the rows pass 1 + s1 >= T, fewer than the half the first stage takes
        assertTrue(a.handled < 0.35 * a.rows, a.toString());
    }

    /**
     * Ties: a threshold equal to a score that occurs is accepted (>=) by both routers. The
     * threshold is a score both compute bit for bit (so the float edge of
     * {@link #aThresholdOnARowsExactScoreIsTheOnlyFloatEdge} cannot hide a difference); for RSB
     * both the first-stage threshold and the policy threshold sit on occurring scores.
     */
    @Test
    void aThresholdOnAnOccurringScoreIsAcceptedByBothRouters() {
        List<PolicyStage> l2d = List.of(new PolicyStage(1, lr, logistic, Double.NaN));
        double onARow = middle(bitIdenticalScores("tie-probe-l2d", Method.L2D, l2d));
        Agreement a = compare("lr-logistic-tie", Method.L2D, l2d, onARow);
        a.assertMixed();
        assertTrue(a.exactTies > 0, "a row scores exactly the threshold and is handled by both: " + a);

        List<PolicyStage> rsb = List.of(new PolicyStage(1, lr, logistic, onARow),
                new PolicyStage(2, xgb, boostedOnXgb, Double.NaN));
        // second-stage rows score their s2, below 1
        double t = middle(bitIdenticalScores("tie-probe-rsb", Method.RSB, rsb).stream().filter(x -> x < 1.0).toList());
        Agreement r = compare("rsb-tie", Method.RSB, rsb, t);
        r.assertMixed();
        assertTrue(r.byStage[1] > 0 && r.byStage[2] > 0, r.toString());
        assertTrue(r.exactTies > 0, "a second-stage row scores exactly T: " + r);
        assertTrue(r.firstStageTies > 0, "a row with s1 = t1 exactly goes to stage 1 in both: " + r);
    }

    /**
     * A NaN first-stage gate score (an embedding with a NaN coordinate: the logistic surrogate's
     * probabilities are NaN, so is top1) is not accepted by stage 1 and goes to stage 2, whose
     * XGBoost surrogate reads NaN as missing and scores it: both routers hand such rows to stage 2.
     * Spark's bare geq once kept them at stage 1 with a NaN score, deferred, while the Spark-free
     * router handled them.
     */
    @Test
    void aNaNFirstStageScoreGoesToStageTwoInBothRouters() {
        GateModel top1Lr = RouterFixtures.gate("top1", lr, gateRows);
        GateModel top1Xgb = RouterFixtures.gate("top1", xgb, gateRows);
        Dataset<Row> nanRows = test.limit(60)
                .withColumn(Columns.TRACE_ID, concat(lit("nan-"), col(Columns.TRACE_ID)))
                .withColumn(Columns.EMBEDDING, transform(col(Columns.EMBEDDING),
                        (v, i) -> org.apache.spark.sql.functions.when(i.equalTo(0), lit(Float.NaN)).otherwise(v)));
        double t1 = quantile(lr, top1Lr, 0.5);
        double t = quantile(xgb, top1Xgb, 0.2);
        List<PolicyStage> stages = List.of(new PolicyStage(1, lr, top1Lr, t1), new PolicyStage(2, xgb, top1Xgb, Double.NaN));
        Agreement a = compare("rsb-nan-first-stage", Method.RSB, stages, t, false, null,
                test.unionByName(nanRows));
        a.assertMixed();
        assertEquals(60, a.nanFirstStage, "every NaN row was seen: " + a);
        assertTrue(a.nanHandledByStage2 > 0, "NaN first-stage rows are handled by stage 2: " + a);
        assertEquals(0, a.nanHandledByStage1, a.toString());
    }

    /** The distance itself, not only the decision: bit-identical to OodGate's Spark expression after the round trip. */
    @Test
    void oodDistancesAreBitIdenticalToSparks() {
        LoadedPolicy p = RouterFixtures.publish(root("ood-distance"), Method.GLOBAL,
                List.of(new PolicyStage(1, lr, null, Double.NaN)), 1.0, labels, DIM, true, ood);
        PortableOod portable = PortableOod.fromManifest(p.manifest().ood(), p::resolve, K, DIM, conf);
        Dataset<Row> wellFormed = withOutliers.where(col(Columns.EMBEDDING).isNotNull()
                .and(org.apache.spark.sql.functions.size(col(Columns.EMBEDDING)).equalTo(DIM)));
        List<Row> rows = ood.flag(lr.predict(Features.add(wellFormed)), Columns.FEATURES, Columns.PREDICTION)
                .select(Columns.EMBEDDING, Columns.PREDICTION, OodGate.DISTANCE, OodGate.FLAG).collectAsList();
        int flagged = 0;
        for (Row r : rows) {
            float[] e = RouterFixtures.embedding(r);
            double[] x = new double[e.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = e[i];
            }
            int label = (int) r.getDouble(1);
            double d = portable.distance(x, label);
            assertEquals(Double.doubleToLongBits(r.getDouble(2)), Double.doubleToLongBits(d),
                    "distance " + d + " vs Spark " + r.getDouble(2));
            assertEquals(r.getBoolean(3), portable.flags(d, label));
            flagged += r.getBoolean(3) ? 1 : 0;
        }
        System.out.println("[router-agreement] ood distances: " + rows.size() + " rows bit-identical, " + flagged
                + " flagged");
        assertTrue(flagged >= 80 && flagged < rows.size(), "flagged " + flagged + " of " + rows.size());
    }

    @Test
    void oodDisabledInTheManifestIsNotApplied() {
        LoadedPolicy p = RouterFixtures.publish(root("ood-off"), Method.GLOBAL,
                List.of(new PolicyStage(1, mlp, null, Double.NaN)), 1.0, labels, DIM);
        SparkFreeRouter router = SparkFreeRouter.load(p.uri(), conf);
        assertFalse(router.oodEnabled());
        float[] far = new float[DIM];
        java.util.Arrays.fill(far, 50f);
        assertTrue(router.route(far).handled());
        LoadedPolicy on = RouterFixtures.publish(root("ood-on"), Method.GLOBAL,
                List.of(new PolicyStage(1, mlp, null, Double.NaN)), 1.0, labels, DIM, true, ood);
        SparkFreeRouter gated = SparkFreeRouter.load(on.uri(), conf);
        assertTrue(gated.oodEnabled());
        Decision d = gated.route(far);
        assertFalse(d.handled());
        assertEquals(RouteColumns.OUT_OF_DISTRIBUTION, d.reason());
        assertEquals(1.0, d.score(), "the score is still reported, as tracer route does");
    }

    /**
     * The float edge, shown on purpose: with the threshold set to one row's exact Spark score, that
     * row's Spark-free score may land an ulp or two below it (the router sums the margins in a
     * different order than MLlib's BLAS), and the row is deferred instead of handled. Only rows
     * within 1e-12 of the threshold may differ; certified thresholds are selection-split
     * quantiles, so a routed row hits one exactly only by coincidence.
     */
    @Test
    void aThresholdOnARowsExactScoreIsTheOnlyFloatEdge() {
        double[] a = scores(lr, top1);
        double onARow = a[a.length / 2];
        Agreement edge = compare("lr-top1-edge", Method.L2D, List.of(new PolicyStage(1, lr, top1, Double.NaN)),
                onARow, true);
        assertTrue(edge.edgeDisagreements <= 1, edge.toString());
    }

    @Test
    void nonePolicyDefersEverythingWithTheManifestReason() {
        LoadedPolicy p = RouterFixtures.publish(root("none"), Method.NONE, List.of(), Double.NaN, labels, DIM);
        SparkFreeRouter router = SparkFreeRouter.load(p.uri(), conf);
        Decision d = router.route(new float[DIM]);
        assertFalse(d.handled());
        assertEquals(RouteColumns.NO_POLICY, d.reason());
        assertEquals("no policy certified: nothing certified in the test", d.detail());
        // the Spark router says the same
        Row spark = new BatchRouter(PolicyPlans.load(p)).route(test.limit(1)).first();
        assertEquals(spark.getAs(RouteColumns.REASON), d.reason());
        assertEquals(spark.getAs(RouteColumns.REASON_DETAIL), d.detail());
    }

    @Test
    void wrongLengthIsDeferredWithTheReasonAndPolicyRootLoadsCurrent() {
        LoadedPolicy p = RouterFixtures.publish(root("dims"), Method.L2D,
                List.of(new PolicyStage(1, lr, top1, Double.NaN)), 0.0, labels, DIM);
        // the policy root (not the version directory) resolves through CURRENT
        SparkFreeRouter router = SparkFreeRouter.load(root("dims"), conf);
        assertEquals(p.versionId(), router.policy().versionId());
        Decision d = router.route(new float[DIM + 1]);
        assertFalse(d.handled());
        assertEquals(RouteColumns.UNSEEN_FEATURE_WIDTH, d.reason());
        assertEquals("embedding width " + (DIM + 1) + "; the policy's models read " + DIM, d.detail());
        assertTrue(Double.isNaN(d.score()));
        assertEquals("embedding width -1; the policy's models read " + DIM,
                router.route((float[]) null).detail());
        assertTrue(router.route(new float[DIM]).handled(), "threshold 0 accepts a well-formed vector");
    }

    @Test
    void policyWithoutPortableExportIsRefusedByName() {
        LoadedPolicy p = RouterFixtures.publish(root("legacy"), Method.L2D,
                List.of(new PolicyStage(1, lr, top1, Double.NaN)), 0.5, labels, DIM, false);
        RouterException e = assertThrows(RouterException.class, () -> SparkFreeRouter.load(p.uri(), conf));
        assertTrue(e.getMessage().contains("no portable export"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------

    private static String root(String name) {
        return dir.resolve(name).toUri().toString();
    }

    private static double median(SurrogateModel s, GateModel g) {
        return quantile(s, g, 0.5);
    }

    /**
     * A threshold between two adjacent distinct gate scores near quantile q of the test rows, so
     * no row sits within rounding of it (see {@link #aThresholdOnARowsExactScoreIsTheOnlyFloatEdge}).
     */
    private static double quantile(SurrogateModel s, GateModel g, double q) {
        double[] a = scores(s, g);
        int i = (int) Math.floor(q * (a.length - 1));
        for (int j = i + 1; j < a.length; j++) {
            if (a[j] > a[i]) {
                return (a[i] + a[j]) / 2;
            }
        }
        for (int j = i - 1; j >= 0; j--) {
            if (a[j] < a[i]) {
                return (a[i] + a[j]) / 2;
            }
        }
        throw new IllegalStateException("every gate score is the same");
    }

    /** Scores of {@link #test} that Spark and the Spark-free router compute bit for bit, for a policy at threshold 0.5. */
    private static List<Double> bitIdenticalScores(String name, Method method, List<PolicyStage> stages) {
        LoadedPolicy policy = RouterFixtures.publish(root(name), method, stages, 0.5, labels, DIM, true, null);
        List<Row> routed = new BatchRouter(PolicyPlans.load(policy)).route(test)
                .select(Columns.EMBEDDING, RouteColumns.SCORE).collectAsList();
        SparkFreeRouter router = SparkFreeRouter.load(policy.uri(), conf);
        List<Double> same = new java.util.ArrayList<>();
        for (Row r : routed) {
            double d = router.route(RouterFixtures.embedding(r)).score();
            if (!r.isNullAt(1) && Double.doubleToLongBits(r.getDouble(1)) == Double.doubleToLongBits(d)) {
                same.add(d);
            }
        }
        assertTrue(same.size() > routed.size() / 4, name + ": only " + same.size() + " of " + routed.size()
                + " scores are bit-identical");
        return same;
    }

    /** The median of {@code scores}. */
    private static double middle(List<Double> scores) {
        return scores.stream().sorted().toList().get(scores.size() / 2);
    }

    private static double[] scores(SurrogateModel s, GateModel g) {
        return GateScores.add(s.predict(test), g, "s").select("s").collectAsList().stream()
                .mapToDouble(r -> r.getDouble(0)).sorted().toArray();
    }

    /** Publishes, routes {@link #test} both ways and checks every row. */
    private static Agreement compare(String name, Method method, List<PolicyStage> stages, double threshold) {
        return compare(name, method, stages, threshold, false);
    }

    /**
     * @param edgeTolerant when true, a row whose Spark score lies within 1e-12 of the threshold may
     *                     take the other decision (it is counted); every other row must agree
     */
    private static Agreement compare(String name, Method method, List<PolicyStage> stages, double threshold,
                                     boolean edgeTolerant) {
        return compare(name, method, stages, threshold, edgeTolerant, null, test);
    }

    /**
     * @param ood  the OOD gate to publish with the policy, or null
     * @param rows the rows to route both ways
     */
    private static Agreement compare(String name, Method method, List<PolicyStage> stages, double threshold,
                                     boolean edgeTolerant, OodGate ood, Dataset<Row> rows) {
        LoadedPolicy policy = RouterFixtures.publish(root(name), method, stages, threshold, labels, DIM, true, ood);
        List<Row> routed = new BatchRouter(PolicyPlans.load(policy)).route(rows)
                .select(Columns.TRACE_ID, Columns.EMBEDDING, RouteColumns.DECISION, RouteColumns.SURROGATE_LABEL,
                        RouteColumns.SCORE, RouteColumns.STAGE, RouteColumns.REASON, RouteColumns.REASON_DETAIL)
                .collectAsList();
        SparkFreeRouter router = SparkFreeRouter.load(policy.uri(), conf);
        assertEquals(ood != null, router.oodEnabled());
        Agreement a = new Agreement(name);
        for (Row r : routed) {
            Decision d = router.route(RouterFixtures.embedding(r));
            String id = r.getString(0);
            boolean handled = RouteColumns.HANDLED.equals(r.getString(2));
            // Spark's null score (nothing scored) is the router's NaN.
            double sparkScore = r.isNullAt(4) ? Double.NaN : r.getDouble(4);
            if (Double.isNaN(sparkScore)) {
                assertTrue(Double.isNaN(d.score()), name + " row " + id + " score " + d.score() + " vs Spark null");
            } else {
                double diff = Math.abs(sparkScore - d.score());
                assertTrue(diff <= 1e-9, name + " row " + id + " score " + d.score() + " vs Spark " + sparkScore);
            }
            if (edgeTolerant && handled != d.handled()) {
                assertTrue(Math.abs(sparkScore - threshold) <= 1e-12, name + " row " + id
                        + " differs away from the threshold: " + d + " vs " + r);
                a.edgeDisagreements++;
                a.add(d, sparkScore);
                continue;
            }
            assertEquals(handled, d.handled(), name + " row " + id + " decision; " + d + " vs " + r);
            assertEquals(r.getString(3), d.label(), name + " row " + id + " label");
            assertEquals(r.getInt(5), d.stage(), name + " row " + id + " stage");
            assertEquals(r.getString(6), d.reason(), name + " row " + id + " reason");
            assertEquals(r.getString(7), d.detail(), name + " row " + id + " reason detail");
            a.add(d, sparkScore);
            a.exactTies += handled && sparkScore == threshold ? 1 : 0;
            a.firstStageTies += method == Method.RSB && d.stage() == 1
                    && sparkScore == 1.0 + stages.get(0).cascadeThreshold() ? 1 : 0;
            if (id.startsWith("nan-")) {
                a.nanFirstStage++;
                a.nanHandledByStage1 += d.stage() == 1 ? 1 : 0;
                a.nanHandledByStage2 += d.stage() == 2 ? 1 : 0;
            }
        }
        // One line per policy so the figures can be read off the test output.
        System.out.println("[router-agreement] " + a);
        return a;
    }

    /** Tallies of one comparison. */
    static final class Agreement {
        final String name;
        int rows;
        int handled;
        int exactScores;
        int edgeDisagreements;
        int ood;
        int width;
        int gateScore;
        int exactTies;
        int firstStageTies;
        int nanFirstStage;
        int nanHandledByStage1;
        int nanHandledByStage2;
        double maxScoreDiff;
        final int[] byStage = new int[3];

        Agreement(String name) {
            this.name = name;
        }

        void add(Decision d, double sparkScore) {
            rows++;
            handled += d.handled() ? 1 : 0;
            byStage[d.stage()]++;
            ood += RouteColumns.OUT_OF_DISTRIBUTION.equals(d.reason()) ? 1 : 0;
            width += RouteColumns.UNSEEN_FEATURE_WIDTH.equals(d.reason()) ? 1 : 0;
            gateScore += RouteColumns.GATE_SCORE.equals(d.reason()) ? 1 : 0;
            if (Double.isNaN(sparkScore)) {
                return;
            }
            double diff = Math.abs(sparkScore - d.score());
            exactScores += Double.compare(sparkScore, d.score()) == 0 ? 1 : 0;
            maxScoreDiff = Math.max(maxScoreDiff, diff);
        }

        void assertMixed() {
            assertTrue(rows > 200, "enough rows compared: " + this);
            assertTrue(handled > 0 && handled < rows, "some rows handled and some deferred: " + this);
        }

        @Override
        public String toString() {
            return name + ": " + rows + " rows, " + (edgeDisagreements == 0
                    ? "all decisions/labels/stages/reasons equal"
                    : edgeDisagreements + " decision(s) differ at the threshold edge, the rest equal") + "; handled " + handled
                    + " (stage1 " + byStage[1] + ", stage2 " + byStage[2] + "); deferred: gate_score " + gateScore
                    + ", out_of_distribution " + ood + ", unseen_feature_width " + width
                    + "; scores bit-identical on " + exactScores + "/" + (rows - width) + " scored rows, max |diff| "
                    + maxScoreDiff + (exactTies + firstStageTies == 0 ? "" : "; handled on an exact tie: "
                    + exactTies + " at T, " + firstStageTies + " at t1")
                    + (nanFirstStage == 0 ? "" : "; NaN first-stage rows " + nanFirstStage + ": stage 2 handled "
                    + nanHandledByStage2 + ", stage 1 " + nanHandledByStage1);
        }
    }
}
