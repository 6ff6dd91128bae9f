package io.tracer.route;

import io.tracer.Columns;
import io.tracer.TracerException;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EncoderInfo;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.log.SparkProgress;
import io.tracer.policy.LoadedPolicy;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code tracer route}: reads inputs, applies a published policy and writes one row per input
 * to a Delta table (columns: {@link #OUTPUT_COLUMNS}). One pass over the inputs routes and
 * writes; the counts reported after come from reading back this run's rows of the output.
 */
public final class RouteJob {
    private static final Logger LOG = LoggerFactory.getLogger(RouteJob.class);
    private static final String JOB_GROUP = "route";
    /** While the rows are routed and written, at most one progress line per this many seconds. */
    private static final double PROGRESS_SECONDS = 15;

    /** The output table's columns, in order. */
    public static final String[] OUTPUT_COLUMNS = {RouteColumns.RUN_ID, Columns.TRACE_ID, RouteColumns.DECISION,
            RouteColumns.SURROGATE_LABEL, RouteColumns.SCORE, RouteColumns.STAGE, RouteColumns.REASON,
            RouteColumns.REASON_DETAIL, RouteColumns.SHADOW, RouteColumns.POLICY_VERSION, RouteColumns.ROUTED_AT};

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public RouteJob(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /** The plan of the policy at {@code uri}, with or without its OOD gate. */
    static RoutingPlan plan(LoadedPolicy policy, boolean ood) {
        RoutingPlan plan = PolicyPlans.load(policy);
        if (!ood && plan.ood() != null) {
            LOG.warn("the out-of-distribution gate of policy {} is switched off: routing no longer matches "
                    + "what was certified for inputs unlike the training traces", policy.versionId());
            return plan.withoutOod();
        }
        return plan;
    }

    /** The rows of the output table ({@link #OUTPUT_COLUMNS}) from BatchRouter's routed rows. */
    public static Dataset<Row> outputTable(Dataset<Row> routed, double shadowShare, String runId,
                                           String policyVersion) {
        return routed
                .withColumn(RouteColumns.SHADOW, col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED)
                        .and(ShadowSample.contains(col(Columns.TRACE_ID), shadowShare)))
                .withColumn(RouteColumns.RUN_ID, lit(runId))
                .withColumn(RouteColumns.POLICY_VERSION, lit(policyVersion))
                .withColumn(RouteColumns.ROUTED_AT, current_timestamp())
                .select(java.util.Arrays.stream(OUTPUT_COLUMNS).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new));
    }

    /**
     * Writes the routed rows in one Delta commit, so the output holds all of this run's rows or
     * none of them (a job killed while writing leaves data files no commit names, which readers
     * never see). Without --overwrite the commit replaces this run id's rows and leaves the other
     * runs' rows alone: re-running a run id (after a failure or a kill after the commit) gives the
     * same output as running it once, never a second copy. With --overwrite it replaces the table.
     */
    private void writeOutput(Dataset<Row> out, RouteRequest request, String policyVersion) {
        io.tracer.Faults.point("route.output");
        io.tracer.Faults.haltOnTaskEnd(spark, "route.output.tasks");
        String predicate = RouteColumns.RUN_ID + " = '" + request.runId().replace("\\", "\\\\").replace("'", "\\'") + "'";
        io.tracer.lakehouse.DeltaRetry.run("run " + request.runId() + "'s rows in " + request.output(), () -> {
            var writer = out.write().format("delta")
                    .option("userMetadata", "tracer route " + request.runId() + " with policy " + policyVersion);
            if (request.overwrite()) {
                writer.mode("overwrite").save(request.output());
            } else {
                writer.mode("overwrite").option("replaceWhere", predicate).save(request.output());
            }
        });
        io.tracer.Faults.point("route.committed");
    }

    public RouteResult run(RouteRequest request) {
        spark.sparkContext().setJobGroup(JOB_GROUP, "tracer route " + request.input().uri(), false);
        try {
            return doRun(request);
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    private RouteResult doRun(RouteRequest request) {
        LoadedPolicy policy = PolicyPlans.locate(request.policy(), spark.sparkContext().hadoopConfiguration());
        RoutingPlan plan = plan(policy, request.ood());
        LOG.info("routing with policy {} ({}, threshold {}, OOD gate {})", policy.versionId(),
                plan.method().id(), plan.threshold(), plan.ood() == null ? "off" : "on");
        EncoderInfo encoder = EncoderInfo.of(policy.manifest().encoder());

        long t0 = System.nanoTime();
        RoutingInputs.Loaded inputs = RoutingInputs.load(spark, config, layout, request.input(), encoder,
                request.runId());
        double loadSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        Dataset<Row> routed = new BatchRouter(plan, config.embed().batchSize())
                .route(inputs.rows(), Columns.TRACE_ID);
        Dataset<Row> out = outputTable(routed, request.shadowShare(), request.runId(), policy.versionId());
        try (SparkProgress progress = SparkProgress.watch(spark.sparkContext(), JOB_GROUP, LOG, "route",
                inputs.readRows() - inputs.quarantined(), PROGRESS_SECONDS)) {
            writeOutput(out, request, policy.versionId());
        }
        double seconds = (System.nanoTime() - t1) / 1e9;

        long rows = 0;
        long handled = 0;
        Map<String, Long> deferred = new TreeMap<>();
        for (Row r : spark.read().format("delta").load(request.output())
                .where(col(RouteColumns.RUN_ID).equalTo(request.runId()))
                .groupBy(RouteColumns.DECISION, RouteColumns.REASON).count().collectAsList()) {
            rows += r.getLong(2);
            if (RouteColumns.HANDLED.equals(r.getString(0))) {
                handled += r.getLong(2);
            } else {
                deferred.merge(r.isNullAt(1) ? "unknown" : r.getString(1), r.getLong(2), Long::sum);
            }
        }
        long expected = inputs.readRows() - inputs.quarantined();
        if (rows != expected) {
            throw new TracerException("route accounting mismatch: " + expected + " valid input rows but " + rows
                    + " routed rows of run " + request.runId() + " in " + request.output());
        }
        RouteResult result = new RouteResult(request.runId(), policy.versionId(), request.output(), inputs.readRows(),
                inputs.quarantined(), rows, handled, deferred, loadSeconds, seconds);
        LOG.info("routed {} rows in {} s ({} rows/s; loading took {} s): {} handled ({}), deferred {}",
                rows, String.format("%.1f", seconds), Math.round(result.rowsPerSecond()),
                String.format("%.1f", loadSeconds), handled, String.format("%.2f%%", 100 * result.coverage()),
                deferred);
        return result;
    }
}
