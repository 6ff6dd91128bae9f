package io.tracer.ops;

import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.LakehouseTables;
import io.tracer.lakehouse.MetricTable;
import io.tracer.scan.ScanJob;
import io.tracer.scan.ScanRequest;
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
 * Every notebooks/*.sql query runs against the tables a real (small) fit, audit and scan write,
 * so a query can never drift from the schema. The lakehouse has a catalog prefix
 * ({@link #PREFIX}, three-part names as {@code main.tracer} on Unity Catalog), so the fit writes
 * every table by name, and each query runs four ways: by name and by path, each with the
 * placeholders filled as the notebook fills them and with Spark's own ${name} substitution under
 * ANSI mode, as spark-sql or a Databricks SQL editor would run it (by path through the
 * global_temp views the notebook describes).
 */
class NotebookQueriesTest {
    /** The queries the demo fit guarantees rows for; the others may come back empty. */
    static final Set<String> MUST_RETURN_ROWS = Set.of("runs_overview.sql", "coverage_trend.sql",
            "worst_labels.sql", "frontier_at_target.sql", "candidates_leaderboard.sql", "quarantine_by_reason.sql",
            "hardest_slices.sql", "scans_overview.sql");

    /** Queries over a table that another command writes, with the columns they need. */
    record WrittenLater(String table, List<String> columns, String writer) {}

    static final Map<String, WrittenLater> WRITTEN_LATER = Map.of("audit_violations.sql",
            new WrittenLater("audit", List.of("run_id", "policy_version", "target", "scope", "label",
                    "handled_share", "agreement", "ci_lower", "ci_upper", "p_value", "violated"), "tracer audit"));

    /** The table prefix of the test's lakehouse: the session catalog, as main.tracer would be on Unity Catalog. */
    static final String PREFIX = "spark_catalog.tracer_notebooks";
    static final String RUN_ID = "ops-notebook-run";
    static final String SCAN_ID = "ops-notebook-scan";
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
                "tracer.lakehouse.catalog", PREFIX,
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.calibrate.targets", TARGETS.toString(),
                "tracer.calibrate.deploy-target", "0.9",
                "tracer.calibrate.grid-size", "200",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1, logistic]"));
        layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        String traces = dir.resolve("traces").toUri().toString();
        new SyntheticTraceGenerator(spark).write(SyntheticSpec.of(4000, 16, LABELS, 0.03, 0.0, 7), traces, true);
        // a few rows without a teacher label, so the quarantine table has rows to show
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
        // and a scan of the same traces, for the scans query
        new ScanJob(spark, config, layout).run(new ScanRequest(TraceSource.of(traces), SCAN_ID, false));
    }

    /** The done-when of the catalog: every table the commands wrote is a catalog table at its path. */
    @Test
    void aFitWithACatalogPrefixWritesEveryTableByNameAtItsPath() {
        for (MetricTable table : MetricTable.values()) {
            if (table == MetricTable.LABEL_DELTAS) {
                continue; // tracer update writes it
            }
            String name = layout.catalogTable(table).orElseThrow();
            assertTrue(spark.catalog().tableExists(name), name + " is not in the catalog");
            Row detail = spark.sql("DESCRIBE DETAIL " + name).head();
            assertEquals(layout.uri(table), detail.<String>getAs("location").replaceFirst("^file:///", "file:/"),
                    name + " is not at its path under the root");
        }
        List<Row> last = spark.sql("DESCRIBE HISTORY " + layout.sqlName(MetricTable.FRONTIER) + " LIMIT 1")
                .select("userMetadata").collectAsList();
        assertEquals(RUN_ID, last.get(0).getString(0));
    }

    /** DESCRIBE TABLE of each metric table shows the documented comments (docs/tables.md, TablesDocTest). */
    @Test
    void describeTableShowsTheDocumentedComments() {
        for (MetricTable table : MetricTable.values()) {
            if (table == MetricTable.LABEL_DELTAS) {
                continue;
            }
            Map<String, String> described = new HashMap<>();
            for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + layout.sqlName(table)).collectAsList()) {
                described.putIfAbsent(r.getString(0), r.isNullAt(2) || r.getString(2).isEmpty()
                        ? r.getString(1) : r.getString(2));
            }
            assertEquals(table.comment(), described.get("Comment"), table.tableName());
            for (org.apache.spark.sql.types.StructField f : table.schema().fields()) {
                assertEquals(f.getComment().get(), described.get(f.name()), table.tableName() + "." + f.name());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyQueryRunsByNameAndByPathBothWaysOfFillingThePlaceholders() {
        Map<String, String> files = NotebookSql.files();
        assertFalse(files.isEmpty(), "no notebooks/*.sql files");
        return files.entrySet().stream().map(f -> DynamicTest.dynamicTest(f.getKey(), () -> {
            assumeWritten(f.getKey());
            List<Row> byName = run(f.getValue());
            List<Row> byNameSubstituted = runWithSparkSubstitutionUnderAnsi(f.getValue(), PREFIX);
            List<Row> byPath = spark.sql(NotebookSql.fillPaths(f.getValue(), layout.root(), Map.of("target", TARGET)))
                    .collectAsList();
            List<Row> byPathSubstituted = runOverPathViews(f.getValue());
            assertEquals(byName.size(), byNameSubstituted.size(), "the two ways of filling placeholders disagree");
            assertEquals(byName.size(), byPath.size(), "by name and by path disagree");
            assertEquals(byName.size(), byPathSubstituted.size(), "spark-sql over the path views disagrees");
            if (MUST_RETURN_ROWS.contains(f.getKey())) {
                assertFalse(byName.isEmpty(), f.getKey() + " returned no rows over a fit's tables");
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
    void scansOverviewHasTheScanEstimateAtEachTarget() {
        List<Row> rows = run(NotebookSql.files().get("scans_overview.sql"));
        assertEquals(TARGETS.size(), rows.size(), rows.toString());
        for (Row r : rows) {
            assertEquals(SCAN_ID, r.getAs("run_id"));
            double coverage = r.getAs("estimated_coverage");
            assertTrue(coverage >= 0 && coverage <= 1, rows.toString());
            assertEquals(4000L, r.<Long>getAs("rows_valid"));
        }
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

    /** The notebook's way with TABLES set: text replacement, Spark's default (non-ANSI) mode. */
    private static List<Row> run(String sql) {
        return spark.sql(NotebookSql.fill(sql, Map.of("tables", PREFIX, "target", TARGET))).collectAsList();
    }

    /**
     * spark-sql over paths only, as the notebook tells: a global_temp view per table the query
     * names, then SET tables=global_temp.
     */
    private static List<Row> runOverPathViews(String sql) {
        for (String table : NotebookSql.tables(sql)) {
            spark.sql("CREATE OR REPLACE GLOBAL TEMPORARY VIEW " + table + " AS SELECT * FROM delta.`"
                    + layout.root() + "/" + table + "`");
        }
        return runWithSparkSubstitutionUnderAnsi(sql, "global_temp");
    }

    /** spark-sql's way: SET tables / SET target, Spark substitutes ${name}; ANSI as on SQL warehouses. */
    private static List<Row> runWithSparkSubstitutionUnderAnsi(String sql, String tables) {
        Map<String, String> settings = Map.of("tables", tables, "target", TARGET,
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
        MetricTable table = MetricTable.valueOf(later.table().toUpperCase(java.util.Locale.ROOT));
        LakehouseTables tables = new LakehouseTables(spark, layout);
        assumeTrue(tables.exists(table), () -> file + " skipped: no " + later.table()
                + " table yet; " + later.writer() + " writes it");
        Set<String> have = new TreeSet<>(Arrays.asList(tables.read(table).columns()));
        Set<String> missing = new TreeSet<>(later.columns());
        missing.removeAll(have);
        assumeTrue(missing.isEmpty(), () -> file + " skipped: the " + later.table() + " table has no columns "
                + missing + " yet; " + later.writer() + " writes them");
    }
}
