package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.RunId;
import io.tracer.TracerException;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.route.BatchRouter;
import io.tracer.route.PolicyPlans;
import io.tracer.route.RoutingPlan;
import io.tracer.serve.RouterException;
import io.tracer.serve.SparkFreeRouter;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * B4: routing. Batch throughput of {@link BatchRouter} on Spark over N synthetic rows, and the
 * per-query latency of the Spark-free router in one thread, on the same published policy.
 *
 * <p>The policy is either given (a policy root or version directory) or fitted here on synthetic
 * traces and published under the lakehouse, as {@code tracer fit} would. The traffic is
 * generated with the fit's seed (the same label geometry, so the policy sees the traffic it was
 * fitted for, with a share of out-of-distribution rows) and written to a Delta table under
 * {@code <lakehouse>/bench/routing} before timing, so the timed part is what {@code tracer route}
 * does per row: read the Delta table, route, and write every routed row. The write goes to
 * Spark's {@code noop} sink, which evaluates every output column of every row and stores
 * nothing, so the figure is routing, not Delta write speed. A small routed slice first warms the
 * session (code generation, model broadcast) untimed.
 */
public final class RoutingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingBenchmark.class);
    /** Rows routed untimed before the measured run. */
    private static final int SPARK_WARMUP_ROWS = 20_000;

    /**
     * @param policyUri  a published policy to route with; empty fits one on {@code fitRows} synthetic traces
     * @param rows       traffic rows routed on Spark
     * @param fitRows    synthetic traces fitted on when no policy is given
     * @param dim        embedding width of the synthetic traces when fitting (a given policy's encoder decides otherwise)
     * @param labels     teacher labels of the synthetic traces when fitting (a given policy's decide otherwise)
     * @param oodShare   share of out-of-distribution traffic rows
     * @param ood        apply the policy's out-of-distribution gate (false: as {@code tracer route --no-ood})
     * @param queries    timed Spark-free queries
     * @param warmup     untimed Spark-free queries before them
     */
    public record Request(Optional<String> policyUri, long rows, long fitRows, int dim, int labels, double oodShare,
                          boolean ood, int queries, int warmup) {
        public Request {
            if (rows < 1 || queries < 1 || warmup < 0 || fitRows < 1) {
                throw new io.tracer.BadInputException("bench routing: --rows, --fit-rows and --queries must be "
                        + "positive and --warmup not negative; got " + rows + ", " + fitRows + ", " + queries
                        + ", " + warmup);
            }
        }
    }

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public RoutingBenchmark(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    public Map<String, Object> run(Request request) {
        String dir = layout.root() + "/bench/routing";
        SyntheticTraceGenerator generator = new SyntheticTraceGenerator(spark);
        Double fitSeconds = null;
        LoadedPolicy policy;
        if (request.policyUri().isPresent()) {
            policy = PolicyPlans.locate(request.policyUri().get(), spark.sparkContext().hadoopConfiguration());
        } else {
            String fitTraces = dir + "/fit-traces";
            generator.write(SyntheticSpec.of(request.fitRows(), request.dim(), request.labels(),
                    SyntheticSpec.DEFAULT_NOISE, 0.0, config.seed()), fitTraces, true);
            long f0 = System.nanoTime();
            FitRun.Finished done = new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(fitTraces),
                    RunId.newId().value(), true, Optional.empty(), "bench routing"));
            fitSeconds = (System.nanoTime() - f0) / 1e9;
            LOG.info("{}", done.summary());
            policy = done.policy().orElseThrow(() -> new TracerException("bench routing: the fit published no policy"));
        }
        PolicyManifest m = policy.manifest();
        if (m.method() == PolicyManifest.Method.NONE) {
            LOG.warn("bench routing: policy {} certified nothing (method none); every row is deferred without "
                    + "scoring, so the figures do not measure model scoring", policy.uri());
        }
        int dim = m.encoder().dim();
        int labels = Math.max(2, m.labels().size());

        // Traffic: materialised first so the timed run reads a table, as tracer route does.
        String trafficUri = dir + "/traffic";
        long rows = generator.write(SyntheticSpec.of(request.rows(), dim, labels, SyntheticSpec.DEFAULT_NOISE,
                request.oodShare(), config.seed()), trafficUri, true);
        Dataset<Row> traffic = spark.read().format("delta").load(trafficUri);

        RoutingPlan plan = PolicyPlans.load(policy);
        if (!request.ood()) {
            plan = plan.withoutOod();
        }
        BatchRouter batch = new BatchRouter(plan);
        noop(batch.route(traffic.limit(SPARK_WARMUP_ROWS)));
        long t0 = System.nanoTime();
        noop(batch.route(traffic));
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;
        double rowsPerSecond = rows / sparkSeconds;
        LOG.info("bench routing: Spark routed {} rows in {} s ({} rows/s)", rows, String.format("%.2f", sparkSeconds),
                String.format("%.0f", rowsPerSecond));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "routing");
        out.put("spark_rows", rows);
        out.put("spark_rows_per_second", rowsPerSecond);
        out.put("spark_seconds", sparkSeconds);
        out.put("spark_input", "delta");
        out.put("spark_sink", "noop");
        out.put("spark_master", spark.sparkContext().master());
        out.put("spark_partitions", traffic.rdd().getNumPartitions());
        out.put("policy_uri", policy.uri());
        out.put("policy_method", m.method().name().toLowerCase(java.util.Locale.ROOT));
        out.put("policy_surrogates", m.stages().stream().map(PolicyManifest.Stage::surrogate).toList());
        out.put("policy_gates", m.stages().stream().map(s -> s.gate() == null ? "none" : s.gate()).toList());
        out.put("policy_ood_published", oodPublished(m));
        out.put("ood", plan.ood() != null);
        out.put("dim", dim);
        out.put("labels", m.labels().size());
        out.put("traffic_ood_share", request.oodShare());
        out.put("fit_seconds", fitSeconds);

        try {
            SparkFreeRouter router = SparkFreeRouter.of(policy, spark.sparkContext().hadoopConfiguration());
            if (!request.ood()) {
                router = router.withoutOod();
            }
            float[][] inputs = inputs(traffic, Math.min(request.queries(), 10_000));
            RouterLatency.Result latency = RouterLatency.measure(router, inputs, request.warmup(), request.queries());
            LOG.info("bench routing: Spark-free router p50 {} us, p99 {} us over {} queries",
                    String.format("%.1f", latency.p50Micros()), String.format("%.1f", latency.p99Micros()),
                    latency.queries());
            out.putAll(latency.fields());
        } catch (RouterException e) {
            LOG.warn("bench routing: the Spark-free router cannot load {}: {}", policy.uri(), e.getMessage());
            out.put("router_p50_micros", null);
            out.put("router_p99_micros", null);
            out.put("router_error", e.getMessage());
        }
        return out;
    }

    private static boolean oodPublished(PolicyManifest m) {
        return m.ood() != null && m.ood().active();
    }

    /** Evaluates every column of every routed row and keeps nothing. */
    private static void noop(Dataset<Row> routed) {
        routed.write().format("noop").mode("overwrite").save();
    }

    /**
     * The query vectors: the first {@code n} traffic embeddings. A few thousand vectors reach the
     * driver on purpose; they are the single-thread router's inputs, not a data path.
     */
    private static float[][] inputs(Dataset<Row> traffic, int n) {
        List<Row> rows = traffic.select(col(Columns.EMBEDDING)).limit(n).collectAsList();
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            List<Object> v = rows.get(i).getList(0);
            out[i] = new float[v.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = ((Number) v.get(j)).floatValue();
            }
        }
        return out;
    }
}
