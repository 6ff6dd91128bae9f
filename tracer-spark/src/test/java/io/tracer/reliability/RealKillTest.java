package io.tracer.reliability;

import io.tracer.bench.TracerProcess;
import io.tracer.policy.LoadedPolicy;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real processes killed for real: a {@code tracer} JVM armed with {@code -Dtracer.fault.at} halts
 * itself (Runtime.halt, as kill -9: no shutdown hook, no finally block) at a kill point, then the
 * same command with the same run id runs again in the test JVM. Two points that matter most and
 * that an in-process kill cannot reach: between the policy manifest and the CURRENT flip, and in
 * the middle of the routed output's write (after its first task wrote files, before the commit).
 */
class RealKillTest {
    @TempDir
    Path dir;

    static List<String> scenarios() {
        return List.of("halt-fit-policy.manifest", "halt-route-output-mid-write");
    }

    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    @Test
    void aFitHaltedBetweenManifestAndCurrentLeavesThePreviousPolicyCurrentAndARouteKilledMidWriteLeavesNoRow()
            throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path lakeDir = dir.resolve("lake");
        Lakehouse lake = new Lakehouse(spark, Fixtures.uri(lakeDir));
        Path traces = FaultInjectionTest.traces(dir.resolve("t.jsonl"), "halt", 200);
        Cli.Result prev = Cli.run(spark, dir, FaultInjectionTest.fitArgs(traces, "halt-prev", lakeDir));
        assertEquals(0, prev.exit(), prev.toString());
        TracerProcess child = new TracerProcess(testClassPath(), dir.resolve("child"), "2g");

        // 1. fit, halted after the manifest, before CURRENT.
        TracerProcess.Outcome o = child.run(FaultInjectionTest.fitArgs(traces, "halt-fit", lakeDir),
                "policy.manifest", 600);
        assertTrue(o.halted(), "exit " + o.exit() + "\n" + o.stderrTail());
        assertEquals("halt-prev", lake.completeCurrent().orElseThrow().versionId());
        assertTrue(lake.store().versions().stream().anyMatch(v -> v.versionId().equals("halt-fit")),
                "the halted run's version is complete but not current");
        assertEquals("running", lake.run("halt-fit").orElseThrow().getAs("status"));
        Cli.Result again = Cli.run(spark, dir, FaultInjectionTest.fitArgs(traces, "halt-fit", lakeDir));
        assertEquals(0, again.exit(), again.toString());
        LoadedPolicy current = lake.completeCurrent().orElseThrow();
        assertEquals("halt-fit.2", current.versionId(), "a published version is never rewritten: the re-run adds .2");
        assertEquals("succeeded", lake.run("halt-fit").orElseThrow().getAs("status"));
        for (String t : FaultInjectionTest.METRIC_TABLES) {
            assertTrue(lake.rows(t, "halt-fit") > 0, t);
        }

        // 2. route, halted while its tasks write the output.
        Path traffic = Fixtures.jsonl(dir.resolve("traffic.jsonl"), Fixtures.traces(400));
        String out = Fixtures.uri(dir.resolve("routed"));
        List<String> route = FaultInjectionTest.routeArgs(lakeDir, traffic, out, "halt-route");
        TracerProcess.Outcome r = child.run(Cli.args(route, "-Dspark.shuffle-partitions=8"), "route.output.tasks", 600);
        assertTrue(r.halted(), "exit " + r.exit() + "\n" + r.stderrTail());
        Lakehouse routed = new Lakehouse(spark, Fixtures.uri(dir));
        // Complete or absent: the halt comes from a listener thread, so a route whose last task ends
        // as its commit lands may have committed all of its rows; never some of them.
        long left = routed.rows("routed", "halt-route");
        assertTrue(left == 0 || left == 400, "a route killed mid-write left " + left + " of 400 rows");
        System.err.println("reliability: halt-route-output-mid-write left " + left + " of 400 rows visible");
        Cli.Result done = Cli.run(spark, dir, route);
        assertEquals(0, done.exit(), done.toString());
        assertEquals(400, routed.rows("routed", "halt-route"));
        assertEquals(400, spark.read().format("delta").load(out).where(col("run_id").equalTo("halt-route"))
                .select("trace_id").distinct().count());
    }
}
