package io.tracer.fit;

import io.tracer.Columns;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.certify.TargetOutcome;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

/** A whole fit on small synthetic traces: outcomes, the published policy, the tables. */
class FitRunTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static TracerConfig config;
    static LakehouseLayout layout;
    static FitRun.Finished first;
    static final long TRACES = 4000;
    static final long DUPLICATES = 7;
    static final long INVALID = 5;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        config = ConfigLoader.load(null, Map.of(
                "tracer.lakehouse.root", dir.resolve("lake").toUri().toString(),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.calibrate.targets", "[0.8, 0.9, 0.95]",
                "tracer.calibrate.deploy-target", "0.9",
                "tracer.calibrate.grid-size", "200",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1, logistic]",
                "tracer.report.enabled", "false"));
        layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        String traces = dir.resolve("traces").toUri().toString();
        // The generated traces, a few re-logged traces (same id, so resolved as duplicates) and a few
        // rows without a teacher label (quarantined), written once: the table is at Delta version 0.
        Dataset<Row> generated = new SyntheticTraceGenerator(spark)
                .generate(SyntheticSpec.of(TRACES, 16, 8, 0.03, 0.0, 7)).cache();
        Dataset<Row> duplicates = generated.orderBy(Columns.TRACE_ID).limit((int) DUPLICATES);
        Dataset<Row> invalid = generated.orderBy(col(Columns.TRACE_ID).desc()).limit((int) INVALID)
                .withColumn(Columns.TRACE_ID, concat(col(Columns.TRACE_ID), lit("-no-teacher")))
                .withColumn(Columns.TEACHER, lit(null).cast("string"));
        generated.unionByName(duplicates).unionByName(invalid).write().format("delta").save(traces);
        generated.unpersist();
        first = new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(traces), "run-a", true,
                Optional.empty(), "fit"));
    }

    @Test
    void everyTargetHasAnOutcomeAndCertifiedOnesHoldTheirBound() {
        assertEquals(3, first.fit().outcomes().size());
        for (TargetOutcome o : first.fit().outcomes()) {
            o.certified().ifPresent(c -> {
                assertTrue(c.lowerBound() >= o.target(), "lower bound " + c.lowerBound() + " below " + o.target());
                assertTrue(c.empiricalAgreement() >= c.lowerBound());
                assertTrue(c.coverage() > 0 && c.coverage() <= 1);
            });
        }
        // synthetic traces this easy certify something at 0.8
        assertTrue(first.fit().outcome(0.8).certified().isPresent(), first.summary());
    }

    @Test
    void policyIsPublishedAndCurrentWithItsManifest() {
        PolicyStore store = new PolicyStore(layout.policyRoot(), spark.sparkContext().hadoopConfiguration());
        PolicyManifest m = store.current().orElseThrow().manifest();
        assertEquals("run-a", m.runId());
        assertEquals(0.9, m.target(), 1e-12);
        assertEquals(8, m.labels().size());
        assertEquals(16, m.encoder().dim());
        assertEquals(first.fit().deployed().method().id(), m.method().name().toLowerCase());
    }

    @Test
    void labelCoverageCountsWhatTheCertificateCounted() {
        // Out-of-distribution rows carry a NaN score; they must count as deferred here too.
        Dataset<Row> coverage = spark.read().format("delta").load(layout.labelCoverage())
                .where(col("run_id").equalTo("run-a"));
        for (TargetOutcome o : first.fit().outcomes()) {
            if (o.certified().isEmpty()) {
                continue;
            }
            Row sums = coverage.where(col("target").equalTo(o.target()))
                    .agg(org.apache.spark.sql.functions.sum("handled"), org.apache.spark.sql.functions.sum("agreeing"))
                    .first();
            assertEquals(o.certified().get().accepted(), sums.getLong(0), "handled at " + o.target());
            assertEquals(o.certified().get().agreeing(), sums.getLong(1), "agreeing at " + o.target());
        }
    }

    @Test
    void tablesCarryTheRunAndRerunReplacesRatherThanDuplicates() {
        Dataset<Row> frontier = spark.read().format("delta").load(layout.frontier());
        long frontierRows = frontier.where(col("run_id").equalTo("run-a")).count();
        assertTrue(frontierRows >= 3);
        assertEquals(3, frontier.where(col("run_id").equalTo("run-a").and(col("selected"))).count());
        Dataset<Row> coverage = spark.read().format("delta").load(layout.labelCoverage());
        assertEquals(3 * 8, coverage.where(col("run_id").equalTo("run-a")).count());
        Dataset<Row> runs = spark.read().format("delta").load(layout.runs());
        assertEquals("succeeded", runs.where(col("run_id").equalTo("run-a")).first().getAs("status"));
        // the traces are a Delta table written once: version 0, in the runs table and the manifest
        assertEquals(0L, (Long) runs.where(col("run_id").equalTo("run-a")).first().getAs("traces_version"));
        // every row read is accounted for: quarantined, a resolved duplicate, or in one split
        Row run = runs.where(col("run_id").equalTo("run-a")).first();
        long read = run.getAs("rows_read");
        assertEquals(TRACES + DUPLICATES + INVALID, read);
        assertEquals(INVALID, (long) run.<Long>getAs("rows_quarantined"));
        assertEquals(DUPLICATES, (long) run.<Long>getAs("rows_duplicates"));
        assertEquals(read, run.<Long>getAs("rows_quarantined") + run.<Long>getAs("rows_duplicates")
                + run.<Long>getAs("rows_train") + run.<Long>getAs("rows_selection")
                + run.<Long>getAs("rows_calibration"));
        assertEquals(first.fit().data().trainRows(), (long) run.<Long>getAs("rows_train"));
        assertEquals(first.fit().data().calibration().count(), (long) run.<Long>getAs("rows_calibration"));
        assertEquals(0L, first.policy().orElseThrow().manifest().traces().deltaVersion());

        FitResult again = new FitJob(spark, config, layout).run(new FitRequest(
                TraceSource.of(dir.resolve("traces").toUri().toString()), "run-a", false, Optional.empty(), "fit"));
        new FitTables(spark, layout).write(again);
        assertEquals(frontierRows, spark.read().format("delta").load(layout.frontier())
                .where(col("run_id").equalTo("run-a")).count());
        // the same seed gives the same split and so the same certified counts
        assertEquals(first.fit().deployed().certified().map(c -> c.accepted()),
                again.deployed().certified().map(c -> c.accepted()));
    }

    @Test
    void calibrationRowsNeverReachTraining() {
        Dataset<Row> train = first.fit().data().train();
        Dataset<Row> cal = first.fit().data().calibration();
        assertEquals(0, train.join(cal, Columns.TRACE_ID).count());
        assertEquals(0, first.fit().zoo().outOfFold().join(cal, Columns.TRACE_ID).count());
    }
}
