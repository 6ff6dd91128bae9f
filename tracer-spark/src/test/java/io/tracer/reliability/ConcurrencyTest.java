package io.tracer.reliability;

import io.tracer.policy.LoadedPolicy;
import io.tracer.reliability.Fixtures.Trace;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands at the same time on one lakehouse, each in its own Spark session (its own SQL
 * configuration, as two drivers have; they share the test JVM's Spark context, so Delta's
 * optimistic concurrency decides between them exactly as between two drivers on one store):
 * two fits; two updates on one trace history; routes reading CURRENT while a fit publishes.
 */
class ConcurrencyTest {
    @TempDir
    Path dir;

    static List<String> scenarios() {
        return List.of("concurrent-fits", "concurrent-updates", "route-during-publish");
    }

    /** Runs each command in its own session, all at once; returns their results in order. */
    static List<Cli.Result> together(SparkSession spark, Path cwd, List<List<String>> commands) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(commands.size());
        try {
            List<Future<Cli.Result>> futures = new ArrayList<>();
            for (List<String> args : commands) {
                SparkSession own = spark.newSession();
                futures.add(pool.submit(() -> Cli.run(own, cwd, args)));
            }
            List<Cli.Result> out = new ArrayList<>();
            for (Future<Cli.Result> f : futures) {
                out.add(f.get(20, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoFitsAtOnceBothCommitAndCurrentNamesOneCompletePolicyThenRoutesDuringAPublishUseOnePolicyEach()
            throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path lakeDir = dir.resolve("lake");
        Lakehouse lake = new Lakehouse(spark, Fixtures.uri(lakeDir));
        Path traces = FaultInjectionTest.traces(dir.resolve("t.jsonl"), "cc", 240);
        List<Cli.Result> fits = together(spark, dir, List.of(
                Cli.args(FaultInjectionTest.fitArgs(traces, "fit-a", lakeDir), "--seed", "1"),
                Cli.args(FaultInjectionTest.fitArgs(traces, "fit-b", lakeDir), "--seed", "2")));
        for (Cli.Result r : fits) {
            assertEquals(0, r.exit(), r.toString());
        }
        LoadedPolicy current = lake.completeCurrent().orElseThrow();
        assertTrue(Set.of("fit-a", "fit-b").contains(current.versionId()), current.versionId());
        Dataset<Row> runs = spark.read().format("delta").load(lake.table("runs"));
        for (String run : List.of("fit-a", "fit-b")) {
            assertEquals("succeeded", lake.run(run).orElseThrow().getAs("status"));
            assertEquals(1, lake.rows("history", run));
            assertTrue(lake.rows("frontier", run) > 0);
            assertEquals(lake.rows("label_coverage", "fit-a"), lake.rows("label_coverage", run));
            assertTrue(lake.store().versions().stream().anyMatch(v -> v.versionId().equals(run)));
        }
        assertEquals(2, runs.count());

        // Routes read CURRENT while a third fit publishes: each routes with one policy, named in
        // policy_version, and decides every row as that version alone decides it.
        Path traffic = Fixtures.jsonl(dir.resolve("traffic.jsonl"), Fixtures.traces(120));
        String out = Fixtures.uri(dir.resolve("routed"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        List<String> routeRuns = new ArrayList<>();
        try {
            SparkSession fitSession = spark.newSession();
            Future<Cli.Result> publishing = pool.submit(() -> Cli.run(fitSession, dir,
                    Cli.args(FaultInjectionTest.fitArgs(traces, "fit-c", lakeDir), "--seed", "3")));
            int i = 0;
            while (!publishing.isDone() || i < 2) {
                String run = "route-" + i++;
                Cli.Result r = Cli.run(spark.newSession(), dir, FaultInjectionTest.routeArgs(lakeDir, traffic, out, run));
                assertEquals(0, r.exit(), r.toString());
                routeRuns.add(run);
            }
            assertEquals(0, publishing.get().exit(), publishing.get().toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals("fit-c", lake.completeCurrent().orElseThrow().versionId());
        Dataset<Row> routed = spark.read().format("delta").load(out).cache();
        Set<String> referenced = new java.util.HashSet<>();
        for (String run : routeRuns) {
            List<Row> versions = routed.where(col("run_id").equalTo(run)).select("policy_version").distinct()
                    .collectAsList();
            assertEquals(1, versions.size(), run + " routed with " + versions);
            String version = versions.get(0).getString(0);
            assertTrue(Set.of("fit-a", "fit-b", "fit-c").contains(version), version);
            // The reference: the same traffic routed with that version named explicitly.
            String ref = "ref-" + version;
            if (referenced.add(ref)) {
                Cli.Result r = Cli.run(spark, dir, Cli.args("route", "--policy",
                        Fixtures.uri(lakeDir.resolve("policies/versions/" + version)), "--input", Fixtures.uri(traffic),
                        "--output", Fixtures.uri(dir.resolve("reference")), "--run-id", ref, "--lakehouse",
                        Fixtures.uri(lakeDir)));
                assertEquals(0, r.exit(), r.toString());
            }
            Dataset<Row> reference = spark.read().format("delta").load(Fixtures.uri(dir.resolve("reference")))
                    .where(col("run_id").equalTo(ref));
            Dataset<Row> mine = routed.where(col("run_id").equalTo(run));
            assertEquals(120, mine.count());
            long differing = mine.alias("m").join(reference.alias("r"), "trace_id")
                    .where(col("m.decision").notEqual(col("r.decision"))
                            .or(not(col("m.surrogate_label").eqNullSafe(col("r.surrogate_label")))))
                    .count();
            assertEquals(0, differing, run + " decided " + differing + " rows unlike policy " + version + " alone");
        }
        routed.unpersist();
    }

    private static org.apache.spark.sql.Column not(org.apache.spark.sql.Column c) {
        return org.apache.spark.sql.functions.not(c);
    }

    @Test
    void twoUpdatesOnOneHistoryAtOnceMergeEveryTraceOnce() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path lakeDir = dir.resolve("lake");
        Lakehouse lake = new Lakehouse(spark, Fixtures.uri(lakeDir));
        String history = Fixtures.uri(dir.resolve("history"));
        Path first = Fixtures.jsonl(dir.resolve("u0.jsonl"), Fixtures.traces(200));
        Cli.Result u0 = Cli.run(spark, dir, FaultInjectionTest.updateArgs(first, history, "upd-0", lakeDir));
        assertEquals(0, u0.exit(), u0.toString());

        // Each batch: 30 traces of its own and the same 20 shared ones.
        List<Trace> more = Fixtures.traces(280).subList(200, 280);
        List<Trace> a = new ArrayList<>(more.subList(0, 30));
        List<Trace> b = new ArrayList<>(more.subList(30, 60));
        a.addAll(more.subList(60, 80));
        b.addAll(more.subList(60, 80));
        Path fa = Fixtures.jsonl(dir.resolve("ua.jsonl"), a);
        Path fb = Fixtures.jsonl(dir.resolve("ub.jsonl"), b);
        List<Cli.Result> results = together(spark, dir, List.of(
                FaultInjectionTest.updateArgs(fa, history, "upd-a", lakeDir),
                FaultInjectionTest.updateArgs(fb, history, "upd-b", lakeDir)));
        for (Cli.Result r : results) {
            assertEquals(0, r.exit(), r.toString());
        }
        assertEquals(280, Lakehouse.historyWithoutDuplicates(spark, history), "every trace once, none lost");
        Dataset<Row> h = spark.read().format("delta").load(history);
        long byA = h.where(col("added_by_run_id").equalTo("upd-a")).count();
        long byB = h.where(col("added_by_run_id").equalTo("upd-b")).count();
        assertEquals(80, byA + byB, "the 20 shared traces were merged by one update, not both");
        assertTrue(byA >= 30 && byB >= 30);
        lake.completeCurrent().orElseThrow();
        for (String run : List.of("upd-a", "upd-b")) {
            assertEquals("succeeded", lake.run(run).orElseThrow().getAs("status"));
        }
    }
}
