package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.embed.EncoderInfo;
import io.tracer.kernel.DenseMaths;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.route.BatchRouter;
import io.tracer.route.PolicyPlans;
import io.tracer.route.RouteJob;
import io.tracer.route.RoutingInputs;
import io.tracer.route.RoutingPlan;
import io.tracer.serve.Decision;
import io.tracer.serve.PolicyKernel;
import io.tracer.serve.SparkFreeRouter;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

/**
 * B4: routing, per policy shape ({@link RoutingShapes}; with {@code --policy}, the given policy
 * stands for the B1 shape):
 *
 * <ul>
 *   <li>Spark: {@code --rows} generated rows (384-d embedding column by default) read from a Delta
 *       table, routed by {@link BatchRouter} and projected to the table {@code tracer route} writes
 *       ({@link RouteJob#outputTable}), written to Spark's {@code noop} sink (every column of every
 *       row is computed, nothing stored); a routed slice first warms the session untimed, then
 *       {@value #SPARK_PASSES} full passes are timed and their median reported;</li>
 *   <li>the Spark-free router in one thread: p50/p99/max over {@code --queries} timed queries
 *       after {@code --warmup} untimed ones, each a block of one;</li>
 *   <li>batch mode (blocks of {@value #BLOCK_ROWS}, decisions read) and the kernel alone on an
 *       in-memory block, rows/s in one thread ({@link KernelThroughput}).</li>
 * </ul>
 *
 * <p>The traffic is generated (Gaussian clusters in the policy's width), unless {@code --traffic}
 * names a table with vectors of the given policy's encoder (e.g. Banking77's test.csv after
 * {@code tracer embed}): its rows, repeated to {@code --rows}, are then the Spark traffic and the
 * router's queries. A real policy defers generated traffic at its OOD gate, so only real traffic
 * times the decisions it hands to the surrogate ({@code router_handled_share} says which).
 *
 * <p>For the floor: rows/s of a bare Delta scan of the embedding column to the same sink. And
 * routing from text: {@code --embed-rows} texts (Banking77's test.csv under {@code --data} when
 * it is there, else generated ones) routed from a table without vectors, so the encoder runs in
 * the route's partitions; beside it the encoder's own rows/s on the same texts in one driver
 * thread.
 */
public final class RoutingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingBenchmark.class);
    /** Rows routed untimed on Spark before each measured run. */
    private static final int SPARK_WARMUP_ROWS = 20_000;
    /** Timed full passes over the traffic per Spark figure (the median is reported). */
    static final int SPARK_PASSES = 3;
    /** Block size of the batch and kernel measurements. */
    static final int BLOCK_ROWS = 1024;
    /** A --traffic table of at most this many numbers (rows x width) is broadcast to be copied. */
    private static final long BROADCAST_MAX_VALUES = 4_000_000;
    /** Traffic embeddings collected to the driver as the single-thread router's queries. */
    private static final int QUERY_INPUTS = 10_000;
    /** Name of the shape a given policy stands for. */
    static final String B1_GIVEN = "b1";
    /** The shapes B4 measures, in order. */
    public static final List<String> SHAPES = RoutingShapes.ALL;

    /**
     * @param policyUri a published policy (the B1 one) to route as the B1 shape; empty fits the B1-like shape
     * @param shapes    shapes to measure ({@link RoutingShapes#ALL}; "b1-like" means the given policy when there is one)
     * @param rows      traffic rows routed on Spark per shape
     * @param fitRows   generated traces the shapes are fitted on
     * @param dim       embedding width (a given policy's encoder decides otherwise)
     * @param labels    teacher labels of the generated traces (a given policy's decide otherwise)
     * @param oodShare  share of out-of-distribution traffic rows
     * @param ood       apply the policies' out-of-distribution gates (false: as {@code tracer route --no-ood})
     * @param queries   timed Spark-free queries per shape
     * @param warmup    untimed Spark-free queries before them
     * @param batchRows rows per batch and kernel measurement per shape
     * @param embedRows texts routed from text (0: skip)
     * @param textData  folder that may hold Banking77's test.csv
     * @param trafficUri a trace table with the given policy's vectors, routed instead of generated
     *                   traffic (needs {@code policyUri})
     */
    public record Request(Optional<String> policyUri, List<String> shapes, long rows, long fitRows, int dim,
                          int labels, double oodShare, boolean ood, int queries, int warmup, long batchRows,
                          int embedRows, String textData, Optional<String> trafficUri) {
        public Request {
            if (trafficUri.isPresent() && policyUri.isEmpty()) {
                throw new io.tracer.BadInputException("bench routing: --traffic needs --policy (the traffic must carry "
                        + "vectors of the policy's encoder)");
            }
            if (rows < 1 || queries < 1 || warmup < 0 || fitRows < 10 || batchRows < 1 || embedRows < 0) {
                throw new io.tracer.BadInputException("bench routing: --rows, --queries and --batch-rows must be "
                        + "positive, --fit-rows at least 10, --warmup and --embed-rows not negative; got --rows " + rows
                        + ", --fit-rows " + fitRows + ", --queries " + queries + ", --batch-rows " + batchRows
                        + ", --warmup " + warmup + ", --embed-rows " + embedRows);
            }
            for (String s : shapes) {
                if (!RoutingShapes.ALL.contains(s)) {
                    throw new io.tracer.BadInputException("bench routing: unknown shape " + s + " (known: "
                            + RoutingShapes.ALL + ")");
                }
            }
            shapes = List.copyOf(shapes);
        }
    }

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    private long broadcastMaxValues = BROADCAST_MAX_VALUES;

    public RoutingBenchmark(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /** For tests: the size above which a --traffic table streams instead of being broadcast. */
    RoutingBenchmark broadcastingAtMost(long values) {
        this.broadcastMaxValues = values;
        return this;
    }

    public Map<String, Object> run(Request request) {
        String dir = layout.root() + "/bench/routing";
        Optional<LoadedPolicy> given = request.policyUri()
                .map(uri -> PolicyPlans.locate(uri, spark.sparkContext().hadoopConfiguration()));
        int dim = given.map(p -> p.manifest().encoder().dim()).orElse(request.dim());
        int labels = given.map(p -> Math.max(2, p.manifest().labels().size())).orElse(request.labels());

        // Traffic: materialised first so each timed run reads a Delta table, as tracer route does.
        // Given traffic goes to its own table: its columns differ from the generated one's, which a
        // later run without --traffic overwrites in place.
        String trafficUri = dir + (request.trafficUri().isPresent() ? "/given-traffic" : "/traffic");
        long rows = request.trafficUri().isPresent()
                ? repeated(request.trafficUri().get(), given.orElseThrow(), request.rows(), trafficUri)
                : new SyntheticTraceGenerator(spark).write(SyntheticSpec.of(request.rows(), dim, labels,
                        SyntheticSpec.DEFAULT_NOISE, request.oodShare(), config.seed()), trafficUri, true);
        Dataset<Row> traffic = spark.read().format("delta").load(trafficUri);
        float[][] queries = queries(traffic);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "routing");
        out.put("kernel_math", DenseMaths.best().describe());
        out.put("spark_master", spark.sparkContext().master());
        out.put("spark_input", "delta");
        out.put("spark_sink", "noop");
        out.put("spark_output", "the tracer route table's columns");
        out.put("spark_partitions", traffic.rdd().getNumPartitions());
        out.put("spark_rows", rows);
        out.put("dim", dim);
        out.put("labels", labels);
        out.put("traffic", request.trafficUri().orElse("generated"));
        out.put("traffic_ood_share", request.trafficUri().isPresent() ? null : request.oodShare());
        out.put("ood", request.ood());
        out.put("policy_uri", given.map(LoadedPolicy::uri).orElse(null));

        out.put("delta_scan", deltaScan(traffic, rows));

        RoutingShapes shapes = null;
        List<Map<String, Object>> measured = new ArrayList<>();
        RoutingPlan b1Plan = null;
        for (String shape : request.shapes()) {
            Shape s;
            if (shape.equals(RoutingShapes.B1_LIKE) && given.isPresent()) {
                s = given(given.get(), request.ood());
            } else {
                if (shapes == null) {
                    shapes = new RoutingShapes(spark, config, request.fitRows(), dim, labels, config.seed());
                }
                RoutingPlan plan = shapes.plan(shape);
                plan = request.ood() ? plan : plan.withoutOod();
                PolicyKernel kernel = PolicyKernel.build(plan.portable());
                s = new Shape(shape, plan, kernel::route, kernel);
            }
            if (shape.equals(RoutingShapes.B1_LIKE)) {
                b1Plan = s.plan;
            }
            Map<String, Object> m = measure(s, traffic, rows, queries, request);
            measured.add(m);
            if (shape.equals(RoutingShapes.B1_LIKE)) {
                // The B4 fields of BENCHMARK.md are the B1 shape's.
                out.put("spark_rows_per_second", m.get("spark_rows_per_second"));
                out.put("router_p50_micros", m.get("router_p50_micros"));
                out.put("router_p99_micros", m.get("router_p99_micros"));
            }
        }
        out.put("shapes", measured);
        if (request.embedRows() > 0) {
            out.put("route_from_text", routeFromText(b1Plan, given.isPresent(), request, dir));
        }
        return out;
    }

    /** One policy to time: its plan for Spark, and the Spark-free router's query call and kernel. */
    private record Shape(String name, RoutingPlan plan, Function<float[], Decision> router, PolicyKernel kernel) {}

    private Shape given(LoadedPolicy policy, boolean ood) {
        PolicyManifest m = policy.manifest();
        if (m.method() == PolicyManifest.Method.NONE) {
            LOG.warn("bench routing: policy {} certified nothing (method none); every row is deferred without "
                    + "scoring, so its figures do not measure model scoring", policy.uri());
        }
        RoutingPlan plan = PolicyPlans.load(policy);
        SparkFreeRouter router = SparkFreeRouter.of(policy, spark.sparkContext().hadoopConfiguration());
        if (!ood) {
            plan = plan.withoutOod();
            router = router.withoutOod();
        }
        return new Shape(B1_GIVEN, plan, router::route, router.kernel());
    }

    private Map<String, Object> measure(Shape s, Dataset<Row> traffic, long rows, float[][] queries, Request request) {
        Map<String, Object> m = new LinkedHashMap<>();
        RoutingPlan plan = s.plan;
        m.put("shape", s.name);
        m.put("policy", plan.portable().origin());
        m.put("method", plan.method().id());
        m.put("ood", plan.ood() != null);

        BatchRouter batch = new BatchRouter(plan);
        noop(route(batch, traffic.limit(SPARK_WARMUP_ROWS)));
        List<Double> runs = timedPasses(() -> noop(route(batch, traffic)));
        double seconds = median(runs);
        m.put("spark_seconds", seconds);
        m.put("spark_seconds_runs", runs);
        m.put("spark_rows_per_second", rows / seconds);
        LOG.info("bench routing [{}]: Spark routed {} rows in {} s ({} rows/s)", s.name, rows,
                String.format(Locale.ROOT, "%.2f", seconds), String.format(Locale.ROOT, "%.0f", rows / seconds));

        RouterLatency.Result latency = RouterLatency.measure(s.router, queries, request.warmup(), request.queries());
        m.putAll(latency.fields());
        LOG.info("bench routing [{}]: Spark-free router p50 {} us, p99 {} us, max {} us over {} queries", s.name,
                String.format(Locale.ROOT, "%.1f", latency.p50Micros()),
                String.format(Locale.ROOT, "%.1f", latency.p99Micros()),
                String.format(Locale.ROOT, "%.1f", latency.maxMicros()), latency.queries());
        Map<String, Object> throughput = KernelThroughput.measure(s.kernel, queries, BLOCK_ROWS, request.batchRows());
        m.putAll(throughput);
        LOG.info("bench routing [{}]: one thread, blocks of {}: batch {} rows/s, kernel alone {} rows/s", s.name,
                BLOCK_ROWS, String.format(Locale.ROOT, "%.0f", (double) throughput.get("batch_rows_per_second")),
                String.format(Locale.ROOT, "%.0f", (double) throughput.get("kernel_rows_per_second")));
        return m;
    }

    /** What tracer route does per row, minus the Delta write: route and project to its table. */
    private static Dataset<Row> route(BatchRouter router, Dataset<Row> traffic) {
        return RouteJob.outputTable(router.route(traffic, Columns.TRACE_ID), 0.01,
                "bench-routing", "bench");
    }

    /** The floor of the Spark figure: reading the embedding column alone, to the same sink. */
    private Map<String, Object> deltaScan(Dataset<Row> traffic, long rows) {
        Dataset<Row> scan = traffic.select(Columns.EMBEDDING);
        noop(scan.limit(SPARK_WARMUP_ROWS));
        List<Double> runs = timedPasses(() -> noop(scan));
        double seconds = median(runs);
        LOG.info("bench routing: a bare Delta scan of the embedding column reads {} rows/s",
                String.format(Locale.ROOT, "%.0f", rows / seconds));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("seconds", seconds);
        m.put("seconds_runs", runs);
        m.put("rows_per_second", rows / seconds);
        return m;
    }

    /**
     * Seconds of {@link #SPARK_PASSES} full passes; the figure is their median. One pass after a
     * short warm-up still runs partly in the interpreter: the first shape measured read 145,297
     * rows/s where its own later passes ran far faster.
     */
    private static List<Double> timedPasses(Runnable pass) {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < SPARK_PASSES; i++) {
            long t0 = System.nanoTime();
            pass.run();
            runs.add((System.nanoTime() - t0) / 1e9);
        }
        return runs;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Routing a table with text and no vectors (the encoder runs in the route's partitions),
     * beside the encoder alone on the same texts in one thread of this JVM.
     *
     * @param plan the B1 shape's plan; a fitted one reads generated vectors, so it is declared to
     *             read the built-in encoder's (the figure is throughput; its decisions mean nothing)
     */
    private Map<String, Object> routeFromText(RoutingPlan plan, boolean givenPolicy, Request request, String dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        // A given policy's texts are encoded with its own encoder; a fitted plan is declared to read
        // the configured one's.
        BuiltInEncoder encoder = givenPolicy && plan != null
                ? BuiltInEncoder.find(plan.portable().encoderId()).orElse(null)
                : BuiltInEncoder.configured(config.embed().encoder());
        if (plan == null || encoder == null || plan.dim() != encoder.dim()) {
            m.put("skipped", "needs the b1 shape reading a built-in encoder's vectors (" + BuiltInEncoder.ids() + ")");
            return m;
        }
        if (!givenPolicy) {
            plan = plan.readingVectorsOf(encoder.id());
        }
        Texts texts = texts(request);
        String uri = dir + "/text-traffic";
        texts.rows.write().format("delta").mode("overwrite").save(uri);
        Dataset<Row> table = spark.read().format("delta").load(uri);
        List<String> all = table.select(Columns.INPUT).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        BatchRouter router = new BatchRouter(plan, config.embed().batchSize());
        noop(route(router, table.limit(Math.min(200, all.size()))));
        long t0 = System.nanoTime();
        noop(route(router, table));
        double seconds = (System.nanoTime() - t0) / 1e9;

        encoder.warmUp();
        int batch = config.embed().batchSize();
        long e0 = System.nanoTime();
        for (int from = 0; from < all.size(); from += batch) {
            encoder.embed(all.subList(from, Math.min(all.size(), from + batch)));
        }
        double encoderSeconds = (System.nanoTime() - e0) / 1e9;
        m.put("texts", all.size());
        m.put("text_source", texts.source);
        m.put("route_seconds", seconds);
        m.put("route_rows_per_second", all.size() / seconds);
        m.put("encoder_one_thread_rows_per_second", all.size() / encoderSeconds);
        m.put("encoder_batch", batch);
        LOG.info("bench routing: routed {} texts from text in {} s ({} rows/s); the encoder alone in one thread: {} "
                + "rows/s", all.size(), String.format(Locale.ROOT, "%.1f", seconds),
                String.format(Locale.ROOT, "%.0f", all.size() / seconds),
                String.format(Locale.ROOT, "%.0f", all.size() / encoderSeconds));
        return m;
    }

    private record Texts(Dataset<Row> rows, String source) {}

    /** Banking77's test.csv texts when the data folder has them, else generated ones, {@code embedRows} of them. */
    private Texts texts(Request request) {
        Path csv = new Path(request.textData(), "test.csv");
        boolean exists;
        try {
            exists = csv.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(csv);
        } catch (IOException | IllegalArgumentException e) {
            exists = false;
        }
        Dataset<Row> texts;
        String source;
        if (exists) {
            texts = spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
                    .csv(csv.toString()).select(col("text").as(Columns.INPUT));
            source = csv.toString();
        } else {
            texts = new SyntheticTraceGenerator(spark).generate(SyntheticSpec.of(request.embedRows(), 8, 2,
                    0.0, 0.0, config.seed())).select(col(Columns.INPUT));
            source = "generated";
        }
        Dataset<Row> rows = texts.limit(request.embedRows())
                .withColumn(Columns.TRACE_ID, concat(lit("text-"), monotonically_increasing_id().cast("string")));
        return new Texts(rows, source);
    }

    /**
     * Writes the table at {@code uri} over and over (each copy with its own trace ids) as the Delta
     * traffic table, whole copies until there are at least {@code rows}; returns the rows written.
     * The table is read as {@code tracer route} reads its input, so vectors of another encoder than
     * the policy's, or no vectors, are refused with the reason.
     */
    private long repeated(String uri, LoadedPolicy policy, long rows, String trafficUri) {
        RoutingInputs.Loaded in = RoutingInputs.load(spark, config, layout, TraceSource.of(uri),
                EncoderInfo.of(policy.manifest().encoder()), "bench-routing");
        if (!in.embedded()) {
            throw new io.tracer.BadInputException("bench routing: --traffic " + uri + " has no embedding column; "
                    + "embed it first (tracer embed --traces " + uri + " --output ...)");
        }
        Dataset<Row> base = in.rows().select(Columns.TRACE_ID, Columns.EMBEDDING).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long baseRows = base.count();
            if (baseRows == 0) {
                throw new io.tracer.BadInputException("bench routing: --traffic " + uri + " has no valid rows");
            }
            long copies = (rows + baseRows - 1) / baseRows;
            // As many partitions as generated traffic of this size gets, so the Spark figures compare.
            int partitions = new SyntheticTraceGenerator(spark).defaultPartitions(SyntheticSpec.of(copies * baseRows,
                    policy.manifest().encoder().dim(), 2, 0.0, 0.0, config.seed()));
            Dataset<Row> range = spark.range(0, copies, 1, (int) Math.min(partitions, copies))
                    .withColumnRenamed("id", "_copy");
            // A table of test-set size is broadcast and copied within each partition; a large one
            // streams and the copy numbers are broadcast instead (never a large table to the driver).
            boolean small = baseRows * policy.manifest().encoder().dim() <= broadcastMaxValues;
            Dataset<Row> all = (small ? range.crossJoin(broadcast(base)) : base.crossJoin(broadcast(range)))
                    .withColumn(Columns.TRACE_ID, concat(col(Columns.TRACE_ID), lit("#"), col("_copy").cast("string")))
                    .select(Columns.TRACE_ID, Columns.EMBEDDING);
            all.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(trafficUri);
            LOG.info("bench routing: traffic from {}: its {} rows, {} copies ({} rows)", uri, baseRows, copies,
                    copies * baseRows);
            return spark.read().format("delta").load(trafficUri).count();
        } finally {
            base.unpersist();
        }
    }

    /** Evaluates every column of every row and keeps nothing. */
    private static void noop(Dataset<Row> rows) {
        rows.write().format("noop").mode("overwrite").save();
    }

    /**
     * The query vectors: the first traffic embeddings. A few thousand vectors reach the driver on
     * purpose; they are the single-thread router's inputs, not a data path.
     */
    private static float[][] queries(Dataset<Row> traffic) {
        List<Row> rows = traffic.select(col(Columns.EMBEDDING)).limit(QUERY_INPUTS).collectAsList();
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
