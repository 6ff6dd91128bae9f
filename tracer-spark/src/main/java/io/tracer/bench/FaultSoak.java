package io.tracer.bench;

import io.delta.tables.DeltaTable;
import io.tracer.Columns;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code tracer bench faults}: the fault soak. Each round picks a command (fit, update or route)
 * and one of its kill points at random, runs the command in a JVM of its own that halts itself
 * there (Runtime.halt, as kill -9), checks the lakehouse, then runs the same command with the same
 * run id again (in this JVM) and checks it again:
 * <ul>
 *   <li>CURRENT names a complete policy (manifest and every model path present);</li>
 *   <li>the runs table has one row per run id; each metric table holds a run's rows once or not
 *       at all, and exactly a complete run's rows after the re-run;</li>
 *   <li>the trace history has one row per trace id and holds every trace merged so far;</li>
 *   <li>the routed output holds all of a route run's rows or none.</li>
 * </ul>
 * Rows lost counts traces missing from the history and routed rows missing after the re-runs;
 * it must be 0. The traces are synthetic (16-d vectors, so nothing is embedded).
 */
public final class FaultSoak {
    private static final Logger LOG = LoggerFactory.getLogger(FaultSoak.class);

    /** Kill points per command, in the order a run reaches them. */
    public static final Map<String, List<String>> POINTS = Map.of(
            "fit", List.of("runs.started", "policy.staged", "policy.manifest", "policy.current", "table.history",
                    "table.frontier", "table.candidates", "table.label_coverage", "runs.succeeded"),
            "update", List.of("runs.started", "history.merge", "history.merged", "policy.staged",
                    "policy.manifest", "policy.current", "table.history", "table.frontier", "table.candidates",
                    "table.label_coverage", "table.label_deltas", "runs.succeeded"),
            "route", List.of("route.output", "route.output.tasks", "route.committed"));
    static final List<String> METRIC_TABLES = List.of("frontier", "candidates", "label_coverage", "history",
            "label_deltas");
    /** The cheapest fit that runs every stage. */
    static final List<String> CHEAP_FIT = List.of("--target", "0.8", "-Dtracer.zoo.skip=[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
            "-Dzoo.folds=2", "-Dgate.candidates=[top1]", "-Dpipeline.families=[global]", "-Dcalibrate.targets=[0.8]",
            "-Dcalibrate.grid-size=50", "-Dood.enabled=false", "-Dreport.enabled=false");

    /**
     * @param dir      a fresh working directory (URI-free local path) for the lakehouse, traces and children
     * @param kills    rounds, each one killed process and one re-run
     * @param inProcess runs {@code tracer args...} in this JVM and returns its exit code
     */
    public record Request(java.nio.file.Path dir, int kills, long seed, String classPath, String childHeap,
                          Function<List<String>, Integer> inProcess) {}

    private final SparkSession spark;

    public FaultSoak(SparkSession spark) {
        this.spark = spark;
    }

    public Map<String, Object> run(Request req) throws IOException {
        long t0 = System.nanoTime();
        Random random = new Random(req.seed());
        java.nio.file.Path dir = req.dir().toAbsolutePath();
        String lake = dir.resolve("lake").toUri().toString();
        String history = dir.resolve("history").toUri().toString();
        String routed = dir.resolve("routed").toUri().toString();
        String pool = dir.resolve("pool").toUri().toString();
        int batch = 60;
        new SyntheticTraceGenerator(spark).generate(SyntheticSpec.of(600 + (long) batch * req.kills(), 16, 6, 0.02,
                0.0, req.seed())).drop(SyntheticTraceGenerator.IS_OOD).write().format("delta").mode("overwrite")
                .save(pool);
        Dataset<Row> all = spark.read().format("delta").load(pool);
        String base = slice(all, 0, 600, dir.resolve("base"));
        String traffic = slice(all, 0, 300, dir.resolve("traffic"));
        TracerProcess child = new TracerProcess(req.classPath(), dir.resolve("children"), req.childHeap());

        List<String> violations = new ArrayList<>();
        Map<String, Map<String, Integer>> byPoint = new TreeMap<>();
        int halted = 0;
        int notReached = 0;
        int reruns = 0;
        long rowsLost = 0;
        long expectedHistory = 0;
        double childSeconds = 0;
        // A first update makes the history and the current policy every later round starts from.
        require(req.inProcess().apply(update(base, history, lake, "soak-0")) == 0, "the first update failed");
        expectedHistory = 600;
        int next = 600;
        for (int i = 1; i <= req.kills(); i++) {
            String command = List.of("fit", "update", "update", "route", "fit").get(random.nextInt(5));
            List<String> points = POINTS.get(command);
            String point = points.get(random.nextInt(points.size()));
            String runId = "soak-" + i;
            List<String> args;
            long newTraces = 0;
            switch (command) {
                case "update" -> {
                    // new traces, plus ten the history already has
                    String b = sliceWithOld(all, next, next + batch, dir.resolve("batch-" + i));
                    next += batch;
                    newTraces = batch;
                    args = update(b, history, lake, runId);
                }
                case "route" -> args = List.of("route", "--policy", lake + "/policies", "--input", traffic, "--output",
                        routed, "--run-id", runId, "--lakehouse", lake);
                default -> args = concat(List.of("fit", "--traces", base, "--run-id", runId, "--lakehouse", lake,
                        "--seed", String.valueOf(i)), CHEAP_FIT);
            }
            TracerProcess.Outcome o = child.run(args, point, 1800);
            childSeconds += o.seconds();
            String key = command + " " + point;
            Map<String, Integer> counts = byPoint.computeIfAbsent(key, k -> new TreeMap<>());
            if (o.halted()) {
                halted++;
                counts.merge("halted", 1, Integer::sum);
            } else if (o.exit() == 0) {
                notReached++;
                counts.merge("finished (point not reached)", 1, Integer::sum);
            } else {
                violations.add(runId + " (" + key + "): the child exited " + o.exit() + ": " + lastLine(o.stderrTail()));
                counts.merge("failed", 1, Integer::sum);
            }
            Map<String, Long> afterKill = check(lake, history, routed, runId, violations, key + " after the kill");
            long historyRows = historyRows(history, violations, key);
            if (historyRows != expectedHistory && historyRows != expectedHistory + newTraces) {
                violations.add(runId + " (" + key + "): the history holds " + historyRows + " traces after the kill, "
                        + "expected " + expectedHistory + " or " + (expectedHistory + newTraces));
            }
            int exit = req.inProcess().apply(args);
            if (exit == 0) {
                reruns++;
            } else {
                violations.add(runId + " (" + key + "): the re-run exited " + exit);
            }
            Map<String, Long> afterRerun = check(lake, history, routed, runId, violations, key + " after the re-run");
            afterKill.forEach((table, n) -> {
                long complete = afterRerun.getOrDefault(table, 0L);
                if (n != 0 && n != complete) {
                    violations.add(runId + " (" + key + "): " + table + " held " + n + " of the run's rows after the "
                            + "kill and " + complete + " when complete");
                }
            });
            expectedHistory += newTraces;
            long h = historyRows(history, violations, key);
            if (h != expectedHistory) {
                violations.add(runId + " (" + key + "): the history holds " + h + " traces, expected " + expectedHistory);
                rowsLost += Math.max(0, expectedHistory - h);
            }
            if (command.equals("route")) {
                long r = afterRerun.getOrDefault("routed", 0L);
                if (r != 300) {
                    violations.add(runId + ": routed " + r + " of 300 rows");
                    rowsLost += Math.max(0, 300 - r);
                }
            }
            LOG.info("fault soak round {}/{}: {} at {}: {}; re-run exit {}; {} violations so far", i, req.kills(),
                    command, point, o.halted() ? "halted" : "exit " + o.exit(), exit, violations.size());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "faults");
        out.put("rounds", req.kills());
        out.put("seed", req.seed());
        out.put("halted", halted);
        out.put("finished_before_the_point", notReached);
        out.put("reruns_succeeded", reruns);
        out.put("invariant_violations", violations);
        out.put("rows_lost", rowsLost);
        out.put("history_rows", expectedHistory);
        out.put("by_point", byPoint);
        out.put("child_seconds", Math.round(childSeconds));
        out.put("seconds", Math.round((System.nanoTime() - t0) / 1e9));
        return out;
    }

    private static List<String> update(String traces, String history, String lake, String runId) {
        return concat(List.of("update", "--traces", traces, "--history", history, "--run-id", runId, "--lakehouse",
                lake), CHEAP_FIT);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Rows [from, to) of the pool (by the number in syn-&lt;i&gt;) as a Delta table; returns its URI. */
    private String slice(Dataset<Row> all, int from, int to, java.nio.file.Path where) {
        String uri = where.toUri().toString();
        all.where(idNumber().geq(from).and(idNumber().lt(to))).write().format("delta").mode("overwrite").save(uri);
        return uri;
    }

    private String sliceWithOld(Dataset<Row> all, int from, int to, java.nio.file.Path where) {
        String uri = where.toUri().toString();
        all.where(idNumber().geq(from).and(idNumber().lt(to)).or(idNumber().lt(10))).write().format("delta")
                .mode("overwrite").save(uri);
        return uri;
    }

    private static org.apache.spark.sql.Column idNumber() {
        return org.apache.spark.sql.functions.regexp_extract(col(Columns.TRACE_ID), "(\\d+)$", 1).cast("int");
    }

    /** The run's row count per metric table (and in the routed output); records what breaks an invariant. */
    private Map<String, Long> check(String lake, String history, String routed, String runId, List<String> violations,
                                    String when) {
        Map<String, Long> counts = new TreeMap<>();
        try {
            PolicyStore store = new PolicyStore(lake + "/policies", spark.sparkContext().hadoopConfiguration());
            LoadedPolicy current = store.current().orElse(null);
            if (current == null) {
                violations.add(runId + " " + when + ": nothing is current");
            } else {
                for (PolicyManifest.Stage s : current.manifest().stages()) {
                    for (String rel : new String[] {s.surrogatePath(), s.gatePath(), s.portablePath()}) {
                        Path p = rel == null ? null : new Path(current.resolve(rel));
                        if (p != null && !p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                            violations.add(runId + " " + when + ": current policy " + current.versionId() + " lacks " + rel);
                        }
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            violations.add(runId + " " + when + ": CURRENT cannot be read: " + e.getMessage());
        }
        if (DeltaTable.isDeltaTable(spark, lake + "/runs")) {
            long dupRuns = spark.read().format("delta").load(lake + "/runs").groupBy("run_id").count()
                    .where(col("count").gt(1)).count();
            if (dupRuns > 0) {
                violations.add(runId + " " + when + ": " + dupRuns + " run ids have more than one runs row");
            }
        }
        for (String t : METRIC_TABLES) {
            String uri = lake + "/" + t;
            counts.put(t, DeltaTable.isDeltaTable(spark, uri)
                    ? spark.read().format("delta").load(uri).where(col("run_id").equalTo(runId)).count() : 0L);
        }
        if (DeltaTable.isDeltaTable(spark, routed)) {
            long r = spark.read().format("delta").load(routed).where(col("run_id").equalTo(runId)).count();
            counts.put("routed", r);
            if (r != 0 && r != 300) {
                violations.add(runId + " " + when + ": the routed output holds " + r + " of the run's 300 rows");
            }
        }
        return counts;
    }

    private long historyRows(String history, List<String> violations, String when) {
        if (!DeltaTable.isDeltaTable(spark, history)) {
            return 0;
        }
        Dataset<Row> h = spark.read().format("delta").load(history);
        long n = h.count();
        long ids = h.select(Columns.TRACE_ID).distinct().count();
        if (ids != n) {
            violations.add(when + ": the history has " + (n - ids) + " duplicate trace ids");
        }
        return n;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new io.tracer.TracerException("fault soak: " + what);
        }
    }
}
