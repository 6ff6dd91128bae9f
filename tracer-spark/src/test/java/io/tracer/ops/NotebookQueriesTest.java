package io.tracer.ops;

import io.delta.tables.DeltaTable;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every notebooks/*.sql query runs against the tables a real (small) fit writes, so a query can
 * never drift from the schema. Each runs twice: with the placeholders filled as the notebook
 * fills them, and with Spark's own ${name} substitution under ANSI mode, as spark-sql or a
 * Databricks SQL editor would run it.
 */
class NotebookQueriesTest {
    /** The queries the demo fit guarantees rows for; the others may come back empty. */
    static final Set<String> MUST_RETURN_ROWS = Set.of("runs_overview.sql", "coverage_trend.sql",
            "worst_labels.sql", "frontier_at_target.sql", "candidates_leaderboard.sql", "quarantine_by_reason.sql",
            "hardest_slices.sql");

    /** Queries over a table that another command writes, with the columns they need. */
    record WrittenLater(String table, List<String> columns, String writer) {}

    static final Map<String, WrittenLater> WRITTEN_LATER = Map.of("audit_violations.sql",
            new WrittenLater("audit", List.of("run_id", "policy_version", "target", "scope", "label",
                    "handled_share", "agreement", "ci_lower", "ci_upper", "p_value", "violated"), "tracer audit"));

    static final String RUN_ID = "ops-notebook-run";
    static final String TARGET = "0.9";
    static final int LABELS = 8;
    static final int BAD_ROWS = 3;
    static final List<Double> TARGETS = List.of(0.8, 0.9, 0.95);

    @TempDir
    static Path dir;
    static SparkSession spark;
    static LakehouseLayout layout;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        TracerConfig config = ConfigLoader.load(null, Map.of(
                "tracer.lakehouse.root", dir.resolve("lake").toUri().toString(),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.calibrate.targets", TARGETS.toString(),
                "tracer.calibrate.deploy-target", "0.9",
                "tracer.calibrate.grid-size", "200",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1, logistic]"));
        layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        String traces = dir.resolve("traces").toUri().toString();
        new SyntheticTraceGenerator(spark).write(SyntheticSpec.of(4000, 16, LABELS, 0.03, 0.0, 7), traces, true);
        // a few rows without a teacher label, so the quarantine table exists and has rows to show
        spark.read().format("delta").load(traces).limit(BAD_ROWS)
                .withColumn("trace_id", concat(col("trace_id"), lit("-no-teacher")))
                .withColumn("teacher", lit("  "))
                .write().format("delta").mode("append").save(traces);
        new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(traces), RUN_ID, true,
                Optional.empty(), "fit"));
        // an audit of the published policy, so the audit query runs over a real audit table too
        String traffic = dir.resolve("audit-traffic").toUri().toString();
        spark.read().format("delta").load(traces).where(col("trace_id").endsWith("-no-teacher").unary_$bang())
                .limit(1000).write().format("delta").save(traffic);
        new io.tracer.audit.AuditJob(spark, config, layout).run(new io.tracer.audit.AuditRequest(layout.policyRoot(),
                TraceSource.of(traffic), 1.0, java.util.OptionalDouble.empty(), true, "ops-audit"));
    }

    @TestFactory
    Stream<DynamicTest> everyQueryRunsAgainstTheTablesOfAFit() {
        Map<String, String> files = NotebookSql.files();
        assertFalse(files.isEmpty(), "no notebooks/*.sql files");
        return files.entrySet().stream().map(f -> DynamicTest.dynamicTest(f.getKey(), () -> {
            assumeWritten(f.getKey());
            List<Row> filled = run(f.getValue());
            List<Row> substituted = runWithSparkSubstitutionUnderAnsi(f.getValue());
            assertEquals(filled.size(), substituted.size(), "the two ways of filling placeholders disagree");
            if (MUST_RETURN_ROWS.contains(f.getKey())) {
                assertFalse(filled.isEmpty(), f.getKey() + " returned no rows over a fit's tables");
            }
        }));
    }

    @Test
    void theRowGuaranteesNameExistingQueries() {
        Set<String> missing = new TreeSet<>(MUST_RETURN_ROWS);
        missing.addAll(WRITTEN_LATER.keySet());
        missing.removeAll(NotebookSql.files().keySet());
        assertEquals(Set.of(), missing, "renamed or removed queries still listed here");
    }

    @Test
    void coverageTrendHasTheDeployedPolicyOfEachTarget() {
        List<Row> rows = run(NotebookSql.files().get("coverage_trend.sql"));
        assertEquals(TARGETS.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(RUN_ID, r.getAs("run_id"));
            assertEquals(TARGETS.get(i), r.<Double>getAs("target"), 1e-12);
            double coverage = r.getAs("certified_coverage");
            assertTrue(coverage >= 0 && coverage <= 1);
            if (!r.<Boolean>getAs("certified")) {
                assertEquals(0.0, coverage);
            }
        }
    }

    @Test
    void frontierAtTargetKeepsOnlyThatTargetWithTheDeployedRowFirst() {
        List<Row> rows = run(NotebookSql.files().get("frontier_at_target.sql"));
        assertFalse(rows.isEmpty());
        rows.forEach(r -> assertEquals(Double.parseDouble(TARGET), r.<Double>getAs("target"), 1e-12));
        // the fit published a policy at this target (the audit above reads it): exactly one row is
        // certified, it comes first and names its place in the sequence; at most one is selected
        assertEquals(1, rows.stream().filter(r -> r.<Boolean>getAs("certified")).count());
        assertTrue(rows.get(0).<Boolean>getAs("certified"));
        assertNotNull(rows.get(0).getAs("sequence_role"), "the deployed candidate has a step in the sequence");
        rows.forEach(r -> assertNotNull(r.getAs("standalone_pass"), "written by this release"));
        assertTrue(rows.stream().filter(r -> r.<Boolean>getAs("selected")).count() <= 1);
    }

    @Test
    void worstLabelsRankEveryLabelByHandledShareWithinEachTarget() {
        List<Row> rows = run(NotebookSql.files().get("worst_labels.sql"));
        // eight labels, fewer than the ten shown, at each of the three targets
        assertEquals(TARGETS.size() * LABELS, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            Row prev = rows.get(i - 1);
            Row cur = rows.get(i);
            if (prev.<Double>getAs("target").equals(cur.getAs("target"))) {
                assertEquals(prev.<Integer>getAs("worst_rank") + 1, cur.<Integer>getAs("worst_rank"));
                assertTrue(prev.<Double>getAs("handled_share") <= cur.<Double>getAs("handled_share"));
            } else {
                assertEquals(1, cur.<Integer>getAs("worst_rank"));
            }
        }
    }

    @Test
    void quarantineCountsTheRefusedRowsOfTheRunByReason() {
        List<Row> rows = run(NotebookSql.files().get("quarantine_by_reason.sql"));
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(RUN_ID, rows.get(0).getAs("run_id"));
        assertEquals(BAD_ROWS, rows.get(0).<Long>getAs("rows_refused"));
    }

    /** The notebook's way: text replacement, Spark's default (non-ANSI) mode. */
    private static List<Row> run(String sql) {
        return spark.sql(NotebookSql.fill(sql, Map.of("lakehouse", layout.root(), "target", TARGET)))
                .collectAsList();
    }

    /** spark-sql's way: SET lakehouse / SET target, Spark substitutes ${name}; ANSI as on SQL warehouses. */
    private static List<Row> runWithSparkSubstitutionUnderAnsi(String sql) {
        Map<String, String> settings = Map.of("lakehouse", layout.root(), "target", TARGET,
                "spark.sql.ansi.enabled", "true", "spark.sql.variable.substitute", "true");
        Map<String, Optional<String>> before = new HashMap<>();
        for (String k : settings.keySet()) {
            scala.Option<String> v = spark.conf().getOption(k);
            before.put(k, v.isDefined() ? Optional.of(v.get()) : Optional.empty());
        }
        try {
            settings.forEach((k, v) -> spark.conf().set(k, v));
            return spark.sql(sql).collectAsList();
        } finally {
            before.forEach((k, v) -> {
                if (v.isPresent()) {
                    spark.conf().set(k, v.get());
                } else {
                    spark.conf().unset(k);
                }
            });
        }
    }

    private static void assumeWritten(String file) {
        WrittenLater later = WRITTEN_LATER.get(file);
        if (later == null) {
            return;
        }
        String uri = layout.root() + "/" + later.table();
        assumeTrue(DeltaTable.isDeltaTable(spark, uri), () -> file + " skipped: no " + later.table()
                + " table yet; " + later.writer() + " writes it");
        Set<String> have = new TreeSet<>(Arrays.asList(spark.read().format("delta").load(uri).columns()));
        Set<String> missing = new TreeSet<>(later.columns());
        missing.removeAll(have);
        assumeTrue(missing.isEmpty(), () -> file + " skipped: the " + later.table() + " table has no columns "
                + missing + " yet; " + later.writer() + " writes them");
    }
}
