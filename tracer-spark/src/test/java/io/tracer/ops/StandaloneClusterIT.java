package io.tracer.ops;

import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster jar on a real Spark standalone cluster (jobs/cluster: a master and two one-core
 * workers on 127.0.0.1, each worker and each executor its own JVM): {@code fit}, {@code route}
 * and {@code audit} through spark-submit give the same frontier and, row for row, the same
 * routing decisions as the same commands in local mode on the same table and seed.
 *
 * <p>An integration test (failsafe, after {@code package}): it runs the built launchers and
 * jars as a user would, so what local mode hides (closure and model serialisation, broadcasts,
 * executor-side class loading, Hadoop URIs) is exercised.
 */
class StandaloneClusterIT {
    private static final Path REPO = Path.of("").toAbsolutePath();
    /** Each step's log, kept after the run for a reader of a failure or a slow run. */
    private static final Path LOGS = REPO.resolve("tracer-spark/target/cluster-it");
    /**
     * A cheap fit, as the unit tests use: one logistic candidate, two folds. The boosted gate
     * stays, so XGBoost's barrier stage runs on an executor in its own JVM, as on Databricks or
     * EMR, and the frontier rows and routing decisions it takes part in must match local mode's.
     * XgboostRowsTest, not this test, checks that XGBoost's rows come in one order. The gates'
     * neighbour input is on, so its reference reaches executors in their own JVMs as a broadcast,
     * and the scores it enters must match local mode's too.
     */
    private static final List<String> CHEAP = List.of(
            "-Dtracer.zoo.skip=[mlp-1, mlp-2, lr-1e-4, lr-1e-2]", "-Dtracer.zoo.folds=2",
            "-Dtracer.gate.candidates=[top1, logistic, boosted]", "-Dtracer.gate.neighbours=5",
            "-Dtracer.calibrate.grid-size=200",
            "-Dtracer.calibrate.targets=[0.85, 0.9, 0.92]", "-Dtracer.calibrate.deploy-target=0.9",
            "-Dtracer.report.enabled=false");

    @TempDir
    static Path dir;
    static Map<String, String> clusterEnv;
    static SparkSession spark;

    @BeforeAll
    static void startCluster() throws Exception {
        // Only this run's logs: a step an earlier run reached and this one does not leaves no stale log.
        Files.createDirectories(LOGS);
        try (var old = Files.newDirectoryStream(LOGS, "*.log")) {
            for (Path log : old) {
                Files.delete(log);
            }
        }
        clusterEnv = new HashMap<>();
        clusterEnv.put("TRACER_CLUSTER_DIR", dir.resolve("cluster").toString());
        clusterEnv.put("TRACER_MASTER_PORT", Integer.toString(freePort()));
        clusterEnv.put("TRACER_MASTER_UI_PORT", Integer.toString(freePort()));
        clusterEnv.put("TRACER_WORKER_MEMORY", "2g");
        clusterEnv.put("TRACER_EXECUTOR_MEMORY", "1500m");
        clusterEnv.put("TRACER_DRIVER_MEMORY", "2g");
        run(List.of("jobs/cluster", "start"), 0, "cluster-start");
        spark = SparkTestSession.get();
        // traces and future traffic: two disjoint draws of one synthetic population (its seed
        // fixes the population, so the draws are cut from one generated table by trace id)
        run(tracer("generate", "--rows", "3800", "--dim", "16", "--labels", "8", "--noise", "0.02",
                "--output", uri("generated")), 0, "generate");
        Dataset<Row> generated = spark.read().format("delta").load(uri("generated"));
        Column n = expr("cast(substring(trace_id, 5) as int)");
        generated.where(n.lt(3000)).write().format("delta").save(uri("traces"));
        generated.where(n.geq(3000)).write().format("delta").save(uri("traffic"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clusterEnv != null) {
            run(List.of("jobs/cluster", "stop"), 0, "cluster-stop");
        }
    }

    @Test
    void fitRouteAndAuditOnTheClusterMatchLocalMode() throws Exception {
        List<String> fitArgs = new ArrayList<>(List.of("fit", "--traces", uri("traces")));
        fitArgs.addAll(CHEAP);
        // One after the other: on two cores the pair side by side took longer than in turn.
        run(cluster(with(fitArgs, "--lakehouse", uri("cluster-lake"), "--run-id", "on-cluster")), 0, "fit-cluster");
        run(tracer(with(fitArgs, "--lakehouse", uri("local-lake"), "--run-id", "local",
                "-Dtracer.spark.default-master=local[2]")), 0, "fit-local");

        // the neighbour input was on (the cluster fit read the same flags; the equal frontiers below say the rest)
        assertTrue(Files.readString(LOGS.resolve("fit-local.log")).contains("gates: neighbour reference of"),
                "the local fit's gates read the neighbour input");

        List<Row> onCluster = frontier("cluster-lake", "on-cluster");
        List<Row> local = frontier("local-lake", "local");
        assertEquals(local.size(), onCluster.size());
        assertTrue(local.size() >= 3, "a frontier row per target at least");
        for (int i = 0; i < local.size(); i++) {
            Row l = local.get(i);
            Row c = onCluster.get(i);
            for (int f = 0; f < l.size(); f++) {
                Object lv = l.get(f);
                Object cv = c.get(f);
                if (lv instanceof Double ld && cv instanceof Double cd) {
                    // the same models up to the summation order inside MLlib's aggregations
                    assertEquals(ld, cd, 1e-9, "frontier row " + i + " column " + l.schema().fields()[f].name());
                } else {
                    assertEquals(lv, cv, "frontier row " + i + " column " + l.schema().fields()[f].name());
                }
            }
        }

        run(cluster("route", "--policy", uri("cluster-lake") + "/policies", "--input", uri("traffic"),
                "--output", uri("routed-cluster"), "--lakehouse", uri("cluster-lake")), 0, "route-cluster");
        run(tracer("route", "--policy", uri("local-lake") + "/policies", "--input", uri("traffic"),
                "--output", uri("routed-local"), "--lakehouse", uri("local-lake"),
                "-Dtracer.spark.default-master=local[2]"), 0, "route-local");
        Dataset<Row> c = routed("routed-cluster");
        Dataset<Row> l = routed("routed-local");
        assertEquals(800, c.count());
        assertEquals(800, l.count());
        long differing = c.join(l, "trace_id").where(
                col("c_decision").notEqual(col("l_decision"))
                        .or(col("c_stage").notEqual(col("l_stage")))
                        .or(col("c_reason").eqNullSafe(col("l_reason")).unary_$bang())
                        .or(col("c_label").eqNullSafe(col("l_label")).unary_$bang())).count();
        assertEquals(0, differing, "routing decisions that differ between the cluster and local mode");
        assertTrue(c.where(col("c_decision").equalTo("handled")).count() > 0, "the policy handles some traffic");

        run(cluster("audit", "--policy", uri("cluster-lake") + "/policies", "--traces", uri("traffic"),
                "--lakehouse", uri("cluster-lake"), "--run-id", "audit-on-cluster"), 0, "audit-cluster");
        Dataset<Row> audit = spark.read().format("delta").load(uri("cluster-lake") + "/audit")
                .where(col("run_id").equalTo("audit-on-cluster").and(col("scope").equalTo("overall")));
        assertEquals(1, audit.count());
        assertEquals(800L, (Long) audit.first().getAs("rows"));
    }

    private static List<Row> frontier(String lake, String runId) {
        return spark.read().format("delta").load(uri(lake) + "/frontier").where(col("run_id").equalTo(runId))
                .drop("run_id").orderBy("target", "family", "gate", "surrogate").collectAsList();
    }

    private static Dataset<Row> routed(String name) {
        String p = name.endsWith("cluster") ? "c_" : "l_";
        return spark.read().format("delta").load(uri(name)).select(col("trace_id"),
                col("decision").as(p + "decision"), col("stage").as(p + "stage"), col("reason").as(p + "reason"),
                col("surrogate_label").as(p + "label"));
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static List<String> tracer(String... args) {
        return tracer(List.of(args));
    }

    private static List<String> tracer(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("jobs/tracer"));
        cmd.addAll(args);
        return cmd;
    }

    private static List<String> cluster(String... args) {
        return cluster(List.of(args));
    }

    private static List<String> cluster(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("jobs/cluster", "submit"));
        cmd.addAll(args);
        return cmd;
    }

    private static String uri(String name) {
        return dir.resolve(name).toUri().toString().replaceAll("/$", "");
    }

    /**
     * Runs {@code cmd} from the repository root, its output in {@link #LOGS}{@code /<name>.log};
     * fails with the log's tail when the exit code differs.
     */
    private static void run(List<String> cmd, int expectedExit, String name) throws IOException, InterruptedException {
        File log = LOGS.resolve(name + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().putAll(clusterEnv);
        pb.environment().put("TRACER_HEAP", "2g");
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean finished = p.waitFor(15, TimeUnit.MINUTES);
        // where the test's minutes go, step by step, in the failsafe report
        System.out.printf("[cluster-it] %s: %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        if (!finished) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish in 15 minutes; log " + log);
        }
        if (p.exitValue() != expectedExit) {
            String text = Files.readString(log.toPath());
            throw new AssertionError(name + " exited " + p.exitValue() + " (expected " + expectedExit + "): "
                    + String.join(" ", cmd) + "\n" + text.substring(Math.max(0, text.length() - 6000)));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
