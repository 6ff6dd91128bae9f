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
 * executor-side class loading, Hadoop URIs) is exercised. Commands that share nothing run at
 * once (the two fits; the two routes and the audit): on two cores the cluster's JVMs wait on each
 * other more than they compute, and run one after another the test took 6-7 minutes.
 */
class StandaloneClusterIT {
    private static final Path REPO = Path.of("").toAbsolutePath();
    /** A cheap fit, as the unit tests use: one logistic candidate, two folds, no XGBoost. */
    private static final List<String> CHEAP = List.of(
            "-Dtracer.zoo.skip=[mlp-1, mlp-2, lr-1e-4, lr-1e-2]", "-Dtracer.zoo.folds=2",
            "-Dtracer.gate.candidates=[top1, logistic]", "-Dtracer.calibrate.grid-size=200",
            "-Dtracer.calibrate.targets=[0.85, 0.9, 0.92]", "-Dtracer.calibrate.deploy-target=0.9",
            "-Dtracer.report.enabled=false");

    @TempDir
    static Path dir;
    static Map<String, String> clusterEnv;
    static SparkSession spark;

    @BeforeAll
    static void startCluster() throws Exception {
        clusterEnv = new HashMap<>();
        clusterEnv.put("TRACER_CLUSTER_DIR", dir.resolve("cluster").toString());
        clusterEnv.put("TRACER_MASTER_PORT", Integer.toString(freePort()));
        clusterEnv.put("TRACER_MASTER_UI_PORT", Integer.toString(freePort()));
        clusterEnv.put("TRACER_WORKER_MEMORY", "2g");
        clusterEnv.put("TRACER_EXECUTOR_MEMORY", "1500m");
        clusterEnv.put("TRACER_DRIVER_MEMORY", "2g");
        // traces and future traffic: two disjoint draws of one synthetic population (its seed
        // fixes the population, so the draws are cut from one generated table by trace id),
        // generated while the cluster starts
        runTogether(
                new Launch(List.of("jobs/cluster", "start"), "cluster-start"),
                new Launch(tracer("generate", "--rows", "3800", "--dim", "16", "--labels", "8", "--noise", "0.02",
                        "--output", uri("generated")), "generate"));
        spark = SparkTestSession.get();
        Dataset<Row> generated = spark.read().format("delta").load(uri("generated"));
        Column n = expr("cast(substring(trace_id, 5) as int)");
        generated.where(n.lt(3000)).write().format("delta").save(uri("traces"));
        generated.where(n.geq(3000)).write().format("delta").save(uri("traffic"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clusterEnv != null) {
            runTogether(new Launch(List.of("jobs/cluster", "stop"), "cluster-stop"));
        }
    }

    @Test
    void fitRouteAndAuditOnTheClusterMatchLocalMode() throws Exception {
        List<String> fitArgs = new ArrayList<>(List.of("fit", "--traces", uri("traces")));
        fitArgs.addAll(CHEAP);
        // The two fits share nothing (two lakehouses), so they run at once: a fit on this cluster
        // waits on messages between its JVMs more than it computes, and the local fit fills the gaps.
        runTogether(
                new Launch(cluster(with(fitArgs, "--lakehouse", uri("cluster-lake"), "--run-id", "on-cluster")),
                        "fit-cluster"),
                new Launch(tracer(with(fitArgs, "--lakehouse", uri("local-lake"), "--run-id", "local",
                        "-Dtracer.spark.default-master=local[2]")), "fit-local"));

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

        // Routing both ways and the audit read the policies and write apart: all three at once.
        runTogether(
                new Launch(cluster("route", "--policy", uri("cluster-lake") + "/policies", "--input", uri("traffic"),
                        "--output", uri("routed-cluster"), "--lakehouse", uri("cluster-lake")), "route-cluster"),
                new Launch(tracer("route", "--policy", uri("local-lake") + "/policies", "--input", uri("traffic"),
                        "--output", uri("routed-local"), "--lakehouse", uri("local-lake"),
                        "-Dtracer.spark.default-master=local[2]"), "route-local"),
                new Launch(cluster("audit", "--policy", uri("cluster-lake") + "/policies", "--traces", uri("traffic"),
                        "--lakehouse", uri("cluster-lake"), "--run-id", "audit-on-cluster"), "audit-cluster"));
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

    /** A command run from the repository root, logging to {@code <name>.log}; it must exit 0. */
    private record Launch(List<String> cmd, String name) {}

    /**
     * Starts every command at once and waits for all of them (15 minutes each at most); fails
     * naming each command that did not exit 0, with the end of its log.
     */
    private static void runTogether(Launch... launches) throws IOException, InterruptedException {
        List<Process> started = new ArrayList<>();
        try {
            for (Launch l : launches) {
                ProcessBuilder pb = new ProcessBuilder(l.cmd()).directory(REPO.toFile()).redirectErrorStream(true)
                        .redirectOutput(log(l).toFile());
                pb.environment().putAll(clusterEnv);
                pb.environment().put("TRACER_HEAP", "2g");
                started.add(pb.start());
            }
            StringBuilder failures = new StringBuilder();
            for (int i = 0; i < launches.length; i++) {
                Launch l = launches[i];
                Process p = started.get(i);
                if (!p.waitFor(15, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    failures.append(l.name()).append(" did not finish in 15 minutes; log ").append(log(l)).append('\n');
                } else if (p.exitValue() != 0) {
                    String text = Files.readString(log(l));
                    failures.append(l.name()).append(" exited ").append(p.exitValue()).append(": ")
                            .append(String.join(" ", l.cmd())).append('\n')
                            .append(text.substring(Math.max(0, text.length() - 6000))).append('\n');
                }
            }
            if (failures.length() > 0) {
                throw new AssertionError(failures.toString());
            }
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
            }
        }
    }

    private static Path log(Launch l) {
        return dir.resolve(l.name() + ".log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
