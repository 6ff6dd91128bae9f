package io.tracer.router;

import io.tracer.Columns;
import io.tracer.gate.GateModel;
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

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The Spark-free router against {@code tracer route}'s Spark path (PolicyPlans + BatchRouter on
 * the same published artifact) on every row of a held-out set, for each family and each kind of
 * gate: same decision, label, stage and reason, scores within 1e-9.
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
    }

    @AfterAll
    static void release() {
        train.unpersist();
        gateRows.unpersist();
        test.unpersist();
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
        assertEquals("no policy certified: nothing certified in the test", d.reason());
        // the Spark router says the same
        Row spark = new BatchRouter(PolicyPlans.load(p)).route(test.limit(1)).first();
        assertEquals(spark.getAs(RouteColumns.REASON), d.reason());
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
        assertTrue(d.reason().contains("has " + (DIM + 1) + " values") && d.reason().contains("produces " + DIM),
                d.reason());
        assertFalse(router.route((float[]) null).handled());
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
        LoadedPolicy policy = RouterFixtures.publish(root(name), method, stages, threshold, labels, DIM);
        List<Row> routed = new BatchRouter(PolicyPlans.load(policy)).route(Features.add(test))
                .select(Columns.TRACE_ID, Columns.EMBEDDING, RouteColumns.DECISION, RouteColumns.SURROGATE_LABEL,
                        RouteColumns.SCORE, RouteColumns.STAGE, RouteColumns.REASON)
                .collectAsList();
        SparkFreeRouter router = SparkFreeRouter.load(policy.uri(), conf);
        Agreement a = new Agreement(name);
        for (Row r : routed) {
            Decision d = router.route(RouterFixtures.embedding(r));
            String id = r.getString(0);
            boolean handled = RouteColumns.HANDLED.equals(r.getString(2));
            double diff = Math.abs(r.getDouble(4) - d.score());
            assertTrue(diff <= 1e-9, name + " row " + id + " score " + d.score() + " vs Spark " + r.getDouble(4));
            if (edgeTolerant && handled != d.handled()) {
                assertTrue(Math.abs(r.getDouble(4) - threshold) <= 1e-12, name + " row " + id
                        + " differs away from the threshold: " + d + " vs " + r);
                a.edgeDisagreements++;
                a.add(d, r.getDouble(4));
                continue;
            }
            assertEquals(handled, d.handled(), name + " row " + id + " decision; " + d + " vs " + r);
            assertEquals(r.getString(3), d.label(), name + " row " + id + " label");
            assertEquals(r.getInt(5), d.stage(), name + " row " + id + " stage");
            assertEquals(r.getString(6), d.reason(), name + " row " + id + " reason");
            a.add(d, r.getDouble(4));
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
        double maxScoreDiff;
        final int[] byStage = new int[3];

        Agreement(String name) {
            this.name = name;
        }

        void add(Decision d, double sparkScore) {
            rows++;
            handled += d.handled() ? 1 : 0;
            byStage[d.stage()]++;
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
                    + " (stage1 " + byStage[1] + ", stage2 " + byStage[2] + "); scores bit-identical on "
                    + exactScores + "/" + rows + ", max |diff| " + maxScoreDiff;
        }
    }
}
