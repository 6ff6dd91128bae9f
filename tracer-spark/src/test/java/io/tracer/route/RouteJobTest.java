package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.cli.RouteCommandAccess;
import io.tracer.embed.EncoderInfo;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.policy.StagedVersion;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.*;

/** tracer route on a small fitted policy: every row out once, reasons, encoder and width checks. */
class RouteJobTest {
    static RoutingFixture f;
    static SparkSession spark;

    @BeforeAll
    static void fit() {
        f = RoutingFixture.get();
        spark = f.spark;
    }

    private static Dataset<Row> read(String uri) {
        return spark.read().format("delta").load(uri);
    }

    @Test
    void everyInputRowComesOutOnceWithADecisionAndTheTableIsWritten() {
        String out = f.uri("routed-clean");
        RouteResult r = RouteCommandAccess.route(spark, f.config, "--policy", f.policyRoot(), "--input", f.traffic,
                "--output", out, "--run-id", "route-1", "--shadow-share", "0.25");
        Dataset<Row> routed = read(out);
        assertEquals(Arrays.asList(RouteJob.OUTPUT_COLUMNS), Arrays.asList(routed.columns()));
        assertEquals(3000, routed.count());
        assertEquals(3000, routed.select(Columns.TRACE_ID).distinct().count());
        assertEquals(3000, r.rows());
        assertEquals(0, routed.where(col(Columns.TRACE_ID).isin("syn-0", "syn-4999")).count(), "fit rows are not traffic");

        PolicyManifest m = new PolicyStore(f.policyRoot(), spark.sparkContext().hadoopConfiguration())
                .current().orElseThrow().manifest();
        assertNotEquals(PolicyManifest.Method.NONE, m.method(), "the fixture's policy should certify at " + RoutingFixture.TARGET);
        Dataset<Row> handled = routed.where(col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED));
        long h = handled.count();
        assertEquals(r.handled(), h);
        assertTrue(h > 1000, "handled " + h);
        assertEquals(0, handled.where(col(RouteColumns.SURROGATE_LABEL).isNull().or(col(RouteColumns.REASON).isNotNull())
                .or(col(RouteColumns.STAGE).leq(0)).or(col(RouteColumns.SCORE).lt(m.certification().threshold()))).count());
        Dataset<Row> deferred = routed.where(col(RouteColumns.DECISION).equalTo(RouteColumns.DEFERRED));
        assertEquals(0, deferred.where(col(RouteColumns.REASON).isNull().or(col(RouteColumns.SURROGATE_LABEL).isNotNull())
                .or(col(RouteColumns.STAGE).notEqual(0)).or(col(RouteColumns.SHADOW))).count());
        assertEquals(3000 - h, r.deferredByReason().values().stream().mapToLong(Long::longValue).sum());
        // easy in-distribution traffic: a few rows deferred for their gate score, ~1% (the 0.99 train quantile) as OOD
        assertEquals(PolicyManifest.Method.L2D, m.method(), "a gated policy at this target");
        long gate = r.deferredByReason().getOrDefault(RouteColumns.GATE_SCORE, 0L);
        long ood = r.deferredByReason().getOrDefault(RouteColumns.OUT_OF_DISTRIBUTION, 0L);
        assertTrue(gate > 0 && ood > 0 && ood < 0.03 * 3000, r.toString());
        // a quarter of handled rows are marked for the shadow sample
        double shadow = (double) handled.where(col(RouteColumns.SHADOW)).count() / h;
        assertTrue(shadow > 0.18 && shadow < 0.32, "shadow share " + shadow);
        assertEquals(m.runId(), routed.first().getAs(RouteColumns.POLICY_VERSION));
        assertTrue(r.rowsPerSecond() > 0);
    }

    @Test
    void aVersionDirectoryWorksAsWellAsTheRoot() {
        LoadedPolicy current = new PolicyStore(f.policyRoot(), spark.sparkContext().hadoopConfiguration())
                .current().orElseThrow();
        String out = f.uri("routed-version");
        RouteResult r = RouteCommandAccess.route(spark, f.config, "--policy", current.uri(), "--input", f.traffic,
                "--output", out, "--run-id", "route-v");
        assertEquals(current.versionId(), r.policyVersion());
        assertEquals(3000, r.rows());
        assertThrows(BadInputException.class, () -> RouteCommandAccess.route(spark, f.config, "--policy",
                f.uri("no-such-policy"), "--input", f.traffic, "--output", f.uri("x"), "--run-id", "route-x"));
    }

    @Test
    void aNonePolicyDefersEverythingWithItsReason() {
        String root = f.uri("none-policies");
        PolicyStore store = new PolicyStore(root, spark.sparkContext().hadoopConfiguration());
        StagedVersion staged = store.stage("none-1");
        PolicyManifest current = new PolicyStore(f.policyRoot(), spark.sparkContext().hadoopConfiguration())
                .current().orElseThrow().manifest();
        store.publish(staged, new PolicyManifest(PolicyManifest.SCHEMA_VERSION, "none-1", PolicyManifest.now(), "test",
                PolicyManifest.Method.NONE, "no threshold certifies 0.99", 0.99, 0.05, current.labels(),
                current.encoder(), List.of(), null, new PolicyManifest.Traces("file:/x", null), "tracer {}", null));
        String out = f.uri("routed-none");
        RouteResult r = RouteCommandAccess.route(spark, f.config, "--policy", root, "--input", f.traffic,
                "--output", out, "--run-id", "route-none");
        assertEquals(0, r.handled());
        assertEquals(java.util.Map.of(RouteColumns.NO_POLICY, 3000L), r.deferredByReason());
        Row any = read(out).first();
        assertTrue(any.<String>getAs(RouteColumns.REASON_DETAIL).contains("no threshold certifies 0.99"));
    }

    @Test
    void vectorsFromAnotherEncoderAreRefused() {
        String other = f.uri("traffic-other-encoder");
        new EncoderInfo("another-encoder", RoutingFixture.DIM).tag(read(f.traffic)).write().format("delta").save(other);
        BadInputException e = assertThrows(BadInputException.class, () -> RouteCommandAccess.route(spark, f.config,
                "--policy", f.policyRoot(), "--input", other, "--output", f.uri("routed-other"), "--run-id", "route-o"));
        assertTrue(e.getMessage().contains("another-encoder"), e.getMessage());
    }

    @Test
    void vectorsOfAnUnseenWidthAreDeferredNotFatal() {
        String narrow = f.uri("traffic-narrow");
        // every 100th row loses its last coordinate; the column keeps the policy's encoder metadata
        Dataset<Row> rows = read(f.traffic);
        rows = rows.withColumn(Columns.EMBEDDING, when(substring(col(Columns.TRACE_ID), -2, 2).equalTo("00"),
                slice(col(Columns.EMBEDDING), 1, RoutingFixture.DIM - 1)).otherwise(col(Columns.EMBEDDING)));
        EncoderInfo.of(read(f.traffic)).orElseThrow().tag(rows).write().format("delta").save(narrow);
        String out = f.uri("routed-narrow");
        RouteResult r = RouteCommandAccess.route(spark, f.config, "--policy", f.policyRoot(), "--input", narrow,
                "--output", out, "--run-id", "route-n");
        assertEquals(3000, r.rows());
        assertEquals(30L, r.deferredByReason().get(RouteColumns.UNSEEN_FEATURE_WIDTH));
        Row one = read(out).where(col(Columns.TRACE_ID).equalTo("syn-5100")).first();
        assertEquals(RouteColumns.UNSEEN_FEATURE_WIDTH, one.getAs(RouteColumns.REASON));
        assertNull(one.getAs(RouteColumns.SCORE));
        assertTrue(one.<String>getAs(RouteColumns.REASON_DETAIL).contains("width 15"), one.toString());
    }
}
