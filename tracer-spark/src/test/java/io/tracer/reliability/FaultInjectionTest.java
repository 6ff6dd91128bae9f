package io.tracer.reliability;

import io.tracer.Faults;
import io.tracer.policy.LoadedPolicy;
import io.tracer.reliability.Fixtures.Trace;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills {@code fit}, {@code update} and {@code route} at every step that writes, then runs the same
 * command with the same run id again, and checks after every kill and at the end:
 * <ul>
 *   <li>CURRENT names a complete policy: the previous one, or one of this run;</li>
 *   <li>every metric table holds the run's rows once or not at all (after the last attempt:
 *       exactly the rows of a complete run), and the runs table has one row for the run, which
 *       says the killed attempt never finished and, once the run succeeds, that it was retried;</li>
 *   <li>the trace history has no duplicate trace id and loses none;</li>
 *   <li>the routed output holds all of a run's rows or none.</li>
 * </ul>
 * The kill is {@link Faults} in throw mode: an Error at the named point that no tracer code
 * catches, so nothing after the point runs and no failure is recorded, as after kill -9 (the
 * test JVM cannot die; {@link RealKillTest} kills real processes). One run id is killed at each
 * point in turn, in the order the run reaches them: each attempt gets one step further.
 */
class FaultInjectionTest {
    /**
     * Kill points of a fit, in the order a fit reaches them; table.history and the three metric
     * tables after it are written side by side, in no fixed order (each attempt still reaches its point).
     */
    static final List<String> FIT_POINTS = List.of("runs.started", "quarantine", "embed.cache", "embed.cached",
            "policy.staged", "policy.manifest", "policy.current", "table.history", "table.frontier",
            "table.candidates", "table.label_coverage", "runs.succeeded");
    /** Kill points of an update beyond a fit's. */
    static final List<String> UPDATE_POINTS = List.of("history.merge", "history.merged", "policy.current",
            "table.label_deltas");
    /** Kill points of a route. */
    static final List<String> ROUTE_POINTS = List.of("route.output", "route.committed");

    static final List<String> METRIC_TABLES = List.of("frontier", "candidates", "label_coverage", "history");

    @TempDir
    Path dir;

    /** Scenario ids this class covers, for docs/reliability.md. */
    static List<String> scenarios() {
        List<String> ids = new ArrayList<>();
        FIT_POINTS.forEach(p -> ids.add("kill-fit-" + p));
        UPDATE_POINTS.forEach(p -> ids.add("kill-update-" + p));
        ROUTE_POINTS.forEach(p -> ids.add("kill-route-" + p));
        return ids;
    }

    @AfterEach
    void disarm() {
        Faults.disarm();
    }

    /** Runs the command with a kill armed at {@code point}; true when it died there. */
    static boolean attempt(SparkSession spark, Path cwd, String point, List<String> args) {
        Faults.arm(point, Faults.Mode.THROW);
        try {
            Cli.Result r = Cli.run(spark, cwd, args);
            if (r.err().contains("injected kill at " + point)) {
                return true;
            }
            fail("the run was not killed at " + point + ": " + r);
            return false;
        } catch (Faults.InjectedKill killed) {
            return true;
        } finally {
            Faults.disarm();
        }
    }

    static List<String> fitArgs(Path traces, String runId, Path lake) {
        return Cli.args("fit", "--traces", Fixtures.uri(traces), "--run-id", runId, "--lakehouse", Fixtures.uri(lake),
                Cli.CHEAP_FIT);
    }

    /** Traces whose texts no other test embedded, with one row that has no teacher (quarantined). */
    static Path traces(Path file, String tag, int n) throws IOException {
        List<Trace> ts = new ArrayList<>();
        for (Trace t : Fixtures.traces(n)) {
            ts.add(t.withInput(t.input() + " " + tag).withId(tag + "-" + t.id()));
        }
        ts.add(new Trace(tag + "-no-teacher", "a row without a teacher label " + tag, null));
        return Fixtures.jsonl(file, ts);
    }

    @Test
    void aFitKilledAtEachWriteThenRerunLeavesOneCompleteState() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path lakeDir = dir.resolve("lake");
        Lakehouse lake = new Lakehouse(spark, Fixtures.uri(lakeDir));
        // A previous complete run: its policy is current when the killed run starts.
        Cli.Result prev = Cli.run(spark, dir, fitArgs(traces(dir.resolve("prev.jsonl"), "prev", 200), "fit-prev",
                lakeDir));
        assertEquals(0, prev.exit(), prev.toString());
        String previous = lake.completeCurrent().orElseThrow().versionId();

        String run = "fit-k";
        Path traces = traces(dir.resolve("k.jsonl"), "k", 200);
        Map<String, List<Long>> seen = new HashMap<>();
        boolean flipped = false;
        for (String point : FIT_POINTS) {
            assertTrue(attempt(spark, dir, point, fitArgs(traces, run, lakeDir)), point);
            // CURRENT: the previous complete policy until this run flips it, then one of this run's.
            LoadedPolicy current = lake.completeCurrent().orElseThrow();
            flipped |= point.equals("policy.current");
            if (flipped) {
                assertTrue(current.versionId().startsWith(run), point + ": current " + current.versionId());
            } else {
                assertEquals(previous, current.versionId(), "killed at " + point);
            }
            // The runs table: one row, honest about the attempt that died.
            Row r = lake.run(run).orElseThrow();
            assertEquals("running", r.getAs("status"), point + ": a killed attempt records no end");
            assertTrue(r.isNullAt(r.fieldIndex("finished_at")));
            if (!point.equals(FIT_POINTS.get(0))) {
                assertTrue(r.<String>getAs("message").contains("never finished"), r.<String>getAs("message"));
            }
            for (String t : METRIC_TABLES) {
                seen.computeIfAbsent(t, k -> new ArrayList<>()).add(lake.rows(t, run));
            }
            assertTrue(lake.rows("quarantine", run) <= 1, "quarantine rows once");
        }
        Cli.Result done = Cli.run(spark, dir, fitArgs(traces, run, lakeDir));
        assertEquals(0, done.exit(), done.toString());
        Row r = lake.run(run).orElseThrow();
        assertEquals("succeeded", r.getAs("status"));
        assertTrue(r.<String>getAs("message").contains("retry of an attempt"), r.<String>getAs("message"));
        assertEquals(201L, (long) r.<Long>getAs("rows_read"));
        assertEquals(1L, (long) r.<Long>getAs("rows_quarantined"));
        assertEquals(1, lake.rows("quarantine", run), "the quarantined row once, however many attempts");
        for (String t : METRIC_TABLES) {
            long complete = lake.rows(t, run);
            assertTrue(complete > 0, t);
            for (long n : seen.get(t)) {
                assertTrue(n == 0 || n == complete, t + " held " + n + " rows of the run after a kill, "
                        + complete + " when complete: " + seen.get(t));
            }
        }
        assertTrue(lake.completeCurrent().orElseThrow().versionId().startsWith(run));
        // Every version directory that has a manifest loads; the killed attempts' staging is ignored.
        for (LoadedPolicy v : lake.store().versions()) {
            assertFalse(v.manifest().labels().isEmpty());
        }
        // The embedding cache holds every text of the run (one vector per text is what readers take).
        long texts = spark.read().json(Fixtures.uri(traces)).select("input").distinct().count();
        long cached = spark.read().format("delta").load(lake.table("embedding_cache")).select("text_hash")
                .distinct().count();
        assertTrue(cached >= texts, cached + " cached texts, " + texts + " in the run");
    }

    @Test
    void anUpdateKilledAtEachWriteNeitherLosesNorDuplicatesATrace() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path lakeDir = dir.resolve("lake");
        Lakehouse lake = new Lakehouse(spark, Fixtures.uri(lakeDir));
        String history = Fixtures.uri(dir.resolve("history"));
        List<Trace> first = Fixtures.traces(200);
        Path firstFile = Fixtures.jsonl(dir.resolve("u0.jsonl"), first);
        Cli.Result u0 = Cli.run(spark, dir, updateArgs(firstFile, history, "upd-prev", lakeDir));
        assertEquals(0, u0.exit(), u0.toString());
        long before = Lakehouse.historyWithoutDuplicates(spark, history);
        assertEquals(200, before);

        // 40 new traces and 10 the history has.
        List<Trace> batch = new ArrayList<>(first.subList(0, 10));
        for (Trace t : Fixtures.traces(240).subList(200, 240)) {
            batch.add(t.withId("u1-" + t.id()));
        }
        Path batchFile = Fixtures.jsonl(dir.resolve("u1.jsonl"), batch);
        String run = "upd-k";
        for (String point : UPDATE_POINTS) {
            assertTrue(attempt(spark, dir, point, updateArgs(batchFile, history, run, lakeDir)), point);
            long n = Lakehouse.historyWithoutDuplicates(spark, history);
            assertTrue(n == before || n == before + 40, point + ": history holds " + n);
            if (!point.equals("history.merge")) {
                assertEquals(before + 40, n, point + ": the merge committed before the kill and stays");
            }
            lake.completeCurrent().orElseThrow();
            assertEquals("running", lake.run(run).orElseThrow().getAs("status"));
        }
        Cli.Result done = Cli.run(spark, dir, updateArgs(batchFile, history, run, lakeDir));
        assertEquals(0, done.exit(), done.toString());
        assertEquals(before + 40, Lakehouse.historyWithoutDuplicates(spark, history));
        assertEquals(40, spark.read().format("delta").load(history).where(col("added_by_run_id").equalTo(run)).count());
        assertEquals("succeeded", lake.run(run).orElseThrow().getAs("status"));
        assertTrue(lake.rows("label_deltas", run) > 0);
        assertEquals("upd-prev", lake.run(run).orElseThrow().getAs("parent_run_id"));
    }

    static List<String> updateArgs(Path traces, String history, String runId, Path lake) {
        return Cli.args("update", "--traces", Fixtures.uri(traces), "--history", history, "--run-id", runId,
                "--lakehouse", Fixtures.uri(lake), Cli.CHEAP_FIT);
    }

    @Test
    void aRouteKilledBeforeOrAfterItsCommitLeavesAllOrNothingAndARerunWritesOnce() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path lakeDir = dir.resolve("lake");
        Cli.Result fit = Cli.run(spark, dir, fitArgs(traces(dir.resolve("fit.jsonl"), "r", 200), "fit-r", lakeDir));
        assertEquals(0, fit.exit(), fit.toString());
        Path traffic = Fixtures.jsonl(dir.resolve("traffic.jsonl"), Fixtures.traces(60));
        String out = Fixtures.uri(dir.resolve("routed"));
        // Another run's rows are already in the output: a re-run must leave them alone.
        Cli.Result other = Cli.run(spark, dir, routeArgs(lakeDir, traffic, out, "route-other"));
        assertEquals(0, other.exit(), other.toString());
        Lakehouse routed = new Lakehouse(spark, Fixtures.uri(dir));
        for (String point : ROUTE_POINTS) {
            assertTrue(attempt(spark, dir, point, routeArgs(lakeDir, traffic, out, "route-k")), point);
            long n = routed.rows("routed", "route-k");
            assertTrue(n == 0 || n == 60, point + ": routed output holds " + n + " rows of the run");
            assertEquals(point.equals("route.committed") ? 60 : 0, n, point);
        }
        Cli.Result done = Cli.run(spark, dir, routeArgs(lakeDir, traffic, out, "route-k"));
        assertEquals(0, done.exit(), done.toString());
        assertEquals(60, routed.rows("routed", "route-k"), "the re-run replaced the committed rows, not added to them");
        assertEquals(60, routed.rows("routed", "route-other"));
        assertEquals(60, spark.read().format("delta").load(out).where(col("run_id").equalTo("route-k"))
                .select("trace_id").distinct().count());
    }

    static List<String> routeArgs(Path lake, Path traffic, String out, String runId) {
        return Cli.args("route", "--policy", Fixtures.uri(lake.resolve("policies")), "--input", Fixtures.uri(traffic),
                "--output", out, "--run-id", runId, "--lakehouse", Fixtures.uri(lake));
    }
}
