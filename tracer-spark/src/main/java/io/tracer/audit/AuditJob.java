package io.tracer.audit;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EncoderInfo;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricTable;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.route.BatchRouter;
import io.tracer.route.PolicyPlans;
import io.tracer.route.RouteColumns;
import io.tracer.route.RoutingInputs;
import io.tracer.route.RoutingPlan;
import io.tracer.route.ShadowSample;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * {@code tracer audit}: routes labelled traffic with the policy again (routing is
 * deterministic, so the decisions are the ones the router made), counts per answered label the
 * rows, handled rows, checked rows (handled, in the shadow sample, teacher label present) and
 * agreeing ones in one small aggregate, and tests agreement against the target.
 */
public final class AuditJob {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJob.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public AuditJob(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    public AuditReport run(AuditRequest request) {
        spark.sparkContext().setJobGroup("audit", "tracer audit " + request.traces().uri(), false);
        try {
            AuditReport report = audit(request);
            new DeltaWriter(spark, layout).write(MetricTable.AUDIT, request.runId(), rows(report));
            LOG.info("{}", report.render());
            return report;
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    AuditReport audit(AuditRequest request) {
        LoadedPolicy policy = PolicyPlans.locate(request.policy(), spark.sparkContext().hadoopConfiguration());
        PolicyManifest m = policy.manifest();
        double alpha = request.alpha().orElse(m.delta());
        if (!(alpha > 0 && alpha < 1)) {
            throw new io.tracer.BadInputException("--alpha must be in (0, 1), was " + alpha);
        }
        RoutingPlan plan = PolicyPlans.load(policy);
        if (!request.ood()) {
            plan = plan.withoutOod();
        }
        RoutingInputs.Loaded inputs = RoutingInputs.load(spark, config, layout, request.traces(),
                new EncoderInfo(m.encoder().id(), m.encoder().dim()), request.runId());
        List<Row> groups;
        java.util.Map<String, Long> unseen = new java.util.TreeMap<>();
        try {
            Dataset<Row> routed = new BatchRouter(plan).route(inputs.rows());
            Column teacher = when(trim(col(Columns.TEACHER)).notEqual(""), col(Columns.TEACHER));
            Column handled = col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED);
            Column checked = handled.and(teacher.isNotNull())
                    .and(ShadowSample.contains(col(Columns.TRACE_ID), request.shadowShare()));
            Column agreeing = checked.and(col(RouteColumns.SURROGATE_LABEL).equalTo(teacher));
            groups = routed
                    .select(when(handled, col(RouteColumns.SURROGATE_LABEL)).otherwise(teacher).as("label"),
                            handled.as("h"), checked.as("c"), agreeing.as("a"))
                    .groupBy(col("label"))
                    .agg(count(lit(1)), sum(when(col("h"), 1L).otherwise(0L)), sum(when(col("c"), 1L).otherwise(0L)),
                            sum(when(col("a"), 1L).otherwise(0L)))
                    .collectAsList();
            // Teacher labels outside the policy's label space: the surrogate can never give them.
            for (Row r : inputs.rows().select(teacher.as("t")).where(col("t").isNotNull()
                    .and(not(col("t").isin(m.labels().toArray())))).groupBy("t").count().collectAsList()) {
                unseen.put(r.getString(0), r.getLong(1));
            }
        } finally {
            inputs.release().run();
        }
        AuditReport r = report(request.runId(), policy.versionId(), m.target(), m.delta(), alpha, groups);
        if (!unseen.isEmpty()) {
            LOG.warn("{} teacher labels the policy {} never saw: {}", unseen.size(), policy.versionId(), unseen);
        }
        return new AuditReport(r.runId(), r.policyVersion(), r.target(), r.delta(), r.alpha(), r.overall(),
                r.labels(), r.unchecked(), unseen);
    }

    /** From (label, rows, handled, checked, agreeing) per answered label to the report. */
    static AuditReport report(String runId, String version, double target, double delta, double alpha,
                              List<Row> groups) {
        long rows = 0, handled = 0, checked = 0, agreeing = 0;
        int labelsChecked = 0;
        for (Row g : groups) {
            rows += g.getLong(1);
            handled += g.getLong(2);
            checked += g.getLong(3);
            agreeing += g.getLong(4);
            if (!g.isNullAt(0) && g.getLong(3) > 0) {
                labelsChecked++;
            }
        }
        AgreementCheck overall = AgreementCheck.of(agreeing, checked, target, alpha);
        double perLabelAlpha = alpha / Math.max(1, labelsChecked);
        List<AuditReport.Line> labels = new ArrayList<>();
        groups.stream().filter(g -> !g.isNullAt(0)).sorted((a, b) -> a.getString(0).compareTo(b.getString(0)))
                .forEach(g -> {
                    AgreementCheck t = AgreementCheck.of(g.getLong(4), g.getLong(3), target, alpha, perLabelAlpha);
                    labels.add(new AuditReport.Line(g.getString(0), g.getLong(1), g.getLong(2), t, t.violated()));
                });
        return new AuditReport(runId, version, target, delta, alpha,
                new AuditReport.Line(null, rows, handled, overall, overall.violated()), labels, handled - checked);
    }

    Dataset<Row> rows(AuditReport r) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> out = new ArrayList<>();
        out.add(row(r, "overall", r.overall(), now));
        for (AuditReport.Line l : r.labels()) {
            out.add(row(r, "label", l, now));
        }
        return spark.createDataFrame(out, MetricTable.AUDIT.schema());
    }

    private static Row row(AuditReport r, String scope, AuditReport.Line l, Timestamp now) {
        AgreementCheck t = l.test();
        boolean none = t.checked() == 0;
        return RowFactory.create(r.runId(), r.policyVersion(), r.target(), r.delta(), r.alpha(), scope, l.label(),
                l.rows(), l.handled(), l.handledShare(), t.checked(), t.agreeing(),
                none ? null : t.agreement(), none ? null : t.ciLower(), none ? null : t.ciUpper(),
                t.pValue(), l.violated(), now);
    }
}
