package io.tracer.update;

import io.tracer.Columns;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.policy.PolicyStore;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Two updates of one trace history on small synthetic traces (8 labels, 16 dimensions): u1 on
 * rows 0..899 without the most frequent label, plus a bad row and a repeated row; u2 on rows
 * 600..1499 (300 ids overlap) at an impossible target (0.999 with a few hundred calibration
 * rows: even all of them agreeing bound agreement below 0.995), which must not replace u1's
 * policy. Two fits only: the test machine's cores are shared.
 */
class UpdateJobTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static TracerConfig config;
    static LakehouseLayout layout;
    static String historyUri;
    static String batchA;
    static String batchB;
    static String topLabel;
    static long expectedAfterTwo;
    static long validA;
    static UpdateJob.Updated u1;
    static UpdateJob.Updated u2;

    @BeforeAll
    static void twoUpdates() {
        spark = SparkTestSession.get();
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "tracer.lakehouse.root", uri("lake"),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.calibrate.targets", "[0.9]",
                "tracer.calibrate.grid-size", "200",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1]",
                "tracer.report.enabled", "false",
                "tracer.pipeline.families", "[global, l2d]"));
        settings.put("tracer.calibrate.deploy-target", "0.9");
        config = ConfigLoader.load(null, settings);
        settings.put("tracer.calibrate.deploy-target", "0.999");
        TracerConfig strict = ConfigLoader.load(null, settings);
        layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        Dataset<Row> all = new SyntheticTraceGenerator(spark).generate(SyntheticSpec.of(1500, 16, 8, 0.03, 0.0, 7))
                .cache();
        topLabel = all.groupBy(Columns.TEACHER).count().orderBy(col("count").desc(), col(Columns.TEACHER))
                .first().getString(0);

        Dataset<Row> a = all.where(id().lt(900).and(col(Columns.TEACHER).notEqual(topLabel)));
        validA = a.count();
        Dataset<Row> bad = all.where(col(Columns.TRACE_ID).equalTo("syn-1"))
                .withColumn(Columns.TRACE_ID, lit("bad-1")).withColumn(Columns.TEACHER, lit(null).cast("string"));
        Dataset<Row> repeated = a.orderBy(Columns.TRACE_ID).limit(1);
        batchA = uri("batch-a");
        a.unionByName(bad).unionByName(repeated).write().format("delta").save(batchA);
        batchB = uri("batch-b");
        all.where(id().geq(600)).write().format("delta").save(batchB);
        expectedAfterTwo = all.where(id().geq(600).or(col(Columns.TEACHER).notEqual(topLabel))).count();

        historyUri = uri("history");
        u1 = new UpdateJob(spark, config, layout).run(new UpdateRequest(TraceSource.of(batchA), historyUri, "u1", true));
        // a stricter deploy target on the second update: it certifies nothing
        u2 = new UpdateJob(spark, strict, layout).run(new UpdateRequest(TraceSource.of(batchB), historyUri, "u2", true));
        all.unpersist();
    }

    @Test
    void historyHoldsTheDistinctUnionAndWhoAddedEachRow() {
        Dataset<Row> history = spark.read().format("delta").load(historyUri);
        assertEquals(expectedAfterTwo, history.count());
        assertEquals(history.count(), history.select(Columns.TRACE_ID).distinct().count());
        assertEquals(0, history.where(col(Columns.TRACE_ID).equalTo("bad-1")).count(), "invalid rows stay out");

        assertEquals(validA, added("u1"));
        assertEquals(expectedAfterTwo - validA, added("u2"));
        // overlapping ids keep the row the first update stored
        Dataset<Row> overlap = history.where(id().geq(600).and(id().lt(900))
                .and(col(Columns.TEACHER).notEqual(topLabel)));
        assertTrue(overlap.count() > 100);
        assertEquals(overlap.count(), overlap.where(col(HistoryTable.ADDED_BY_RUN_ID).equalTo("u1")
                .and(col(HistoryTable.SOURCE_URI).equalTo(batchA))).count());

        assertEquals(new MergeResult(validA, validA, 0, validA, u1.merge().deltaVersion(), true), u1.merge());
        assertEquals(900, u2.merge().offered());
        assertEquals(900 - (expectedAfterTwo - validA), u2.merge().alreadyPresent());
        // the fit read the stored vectors back with their encoder instead of re-embedding
        assertEquals(SyntheticTraceGenerator.ENCODER_ID, u2.run().fit().data().encoder().id());
        assertEquals(expectedAfterTwo, u2.run().fit().data().validRows());
    }

    @Test
    void badAndRepeatedRowsOfNewTracesGoToQuarantine() {
        Dataset<Row> q = spark.read().format("delta").load(layout.quarantine()).where(col("run_id").equalTo("u1"));
        assertEquals(1, q.where(col(Columns.TRACE_ID).equalTo("bad-1")
                .and(col(Columns.REASON).equalTo("missing_teacher"))).count(), "bad row quarantined");
        assertEquals(1, q.where(col(Columns.REASON).equalTo("duplicate_trace_id")).count());
        assertEquals(2, q.count());
    }

    @Test
    void runsAreLinkedToTheirPredecessor() {
        Dataset<Row> runs = spark.read().format("delta").load(layout.runs());
        assertNull(run(runs, "u1").getAs("parent_run_id"));
        assertEquals("u1", run(runs, "u2").getAs("parent_run_id"));
        for (String r : new String[] {"u1", "u2"}) {
            Row row = run(runs, r);
            assertEquals("succeeded", row.getAs("status"));
            assertEquals("update", row.getAs("command"));
            assertEquals(u1.historyUri(), row.getAs("traces_uri"));
            assertTrue(((String) row.getAs("message")).contains("merged"), (String) row.getAs("message"));
        }
        assertEquals(expectedAfterTwo, (long) run(runs, "u2").getAs("rows_valid"));
        // each run fitted the history version its own merge committed
        assertEquals(u1.merge().deltaVersion(), (long) run(runs, "u1").getAs("traces_version"));
        assertEquals(u2.merge().deltaVersion(), (long) run(runs, "u2").getAs("traces_version"));
        assertEquals(java.util.Optional.of("u1"), u2.parentRunId());
        assertEquals(java.util.Optional.of("u1"), u2.run().fit().request().parentRunId());
    }

    @Test
    void labelDeltasCompareWithTheParentAtCommonTargets() {
        Dataset<Row> deltas = spark.read().format("delta").load(layout.labelDeltas());
        assertEquals(0, deltas.where(col("run_id").equalTo("u1")).count(), "a first update has no parent");
        Dataset<Row> d2 = deltas.where(col("run_id").equalTo("u2"));
        assertEquals(8, d2.count());
        assertEquals(8, d2.where(col("parent_run_id").equalTo("u1").and(col("target").equalTo(0.9))).count());
        Row fresh = d2.where(col("status").equalTo(LabelDeltas.NEW)).collectAsList().get(0);
        assertEquals(topLabel, fresh.getAs("label"));
        assertNull(fresh.getAs("rows_before"));
        assertTrue((long) fresh.getAs("rows_after") > 0);
        assertEquals(7, d2.where(col("status").equalTo(LabelDeltas.KEPT)
                .and(col("rows_before").isNotNull()).and(col("handled_share_after").isNotNull())).count());
        // u2 also covers 0.999, which u1 did not: compared at 0.9 only
        assertEquals(Map.of(LabelDeltas.KEPT, 7L, LabelDeltas.NEW, 1L), u2.labelDeltas());
    }

    @Test
    void anUncertifiedPolicyIsWrittenButThePreviousStaysCurrent() {
        // the first publication of a lakehouse becomes current whatever it certifies
        assertTrue(u1.promoted(), u1.summary());
        assertFalse(u2.promoted(), u2.summary());
        assertTrue(u2.run().fit().deployed().certified().isEmpty());
        PolicyStore store = new PolicyStore(layout.policyRoot(), spark.sparkContext().hadoopConfiguration());
        assertEquals("u1", store.currentVersionId().orElseThrow());
        assertEquals("u2", u2.run().policy().orElseThrow().versionId(), "the uncertified version is still written");
        assertTrue(u2.run().message().contains("NOT made current"), u2.run().message());

        Dataset<Row> runs = spark.read().format("delta").load(layout.runs());
        assertTrue(((String) run(runs, "u2").getAs("message")).contains("u1 stays current"));

        Dataset<Row> history = spark.read().format("delta").load(layout.history());
        Row h1 = run(history, "u1");
        Row h2 = run(history, "u2");
        assertTrue((boolean) h1.getAs("made_current"));
        assertNull(h1.getAs("previous_version_id"));
        assertEquals(u1.run().fit().deployed().method().id(), h1.getAs("method"));
        assertFalse((boolean) h2.getAs("made_current"));
        assertFalse((boolean) h2.getAs("certified"));
        assertEquals("u1", h2.getAs("previous_version_id"));
        assertEquals("none", h2.getAs("method"));
        assertEquals(0.999, (double) h2.getAs("target"), 1e-12);
        assertEquals(u2.run().fit().deployed().reason(), h2.getAs("reason"));
        assertEquals(2, history.count());
    }

    private static long added(String runId) {
        return spark.read().format("delta").load(historyUri)
                .where(col(HistoryTable.ADDED_BY_RUN_ID).equalTo(runId)).count();
    }

    private static Row run(Dataset<Row> table, String runId) {
        var rows = table.where(col("run_id").equalTo(runId)).collectAsList();
        assertEquals(1, rows.size(), "rows of " + runId);
        return rows.get(0);
    }

    /** The row number of a synthetic trace id (syn-N). */
    private static Column id() {
        return substring(col(Columns.TRACE_ID), 5, 20).cast("long");
    }

    private static String uri(String name) {
        return dir.resolve(name).toUri().toString();
    }
}
