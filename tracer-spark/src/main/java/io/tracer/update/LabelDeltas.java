package io.tracer.update;

import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.LakehouseTables;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.MetricTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Per-label changes between a run and its parent, from both runs' label_coverage rows: at each
 * target both runs covered, one row per label either run saw, {@code new} when only this run
 * has it, {@code removed} when only the parent had it, {@code kept} otherwise. Targets only one
 * of the runs covered are left out: there every label would look new or removed.
 */
public final class LabelDeltas {
    private static final Logger LOG = LoggerFactory.getLogger(LabelDeltas.class);

    public static final String NEW = "new";
    public static final String REMOVED = "removed";
    public static final String KEPT = "kept";

    private final SparkSession spark;
    private final LakehouseLayout layout;

    public LabelDeltas(SparkSession spark, LakehouseLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** The label_deltas rows of {@code runId} against {@code parentRunId}, in the table's schema. */
    public Dataset<Row> compute(String runId, String parentRunId) {
        Dataset<Row> coverage = new LakehouseTables(spark, layout).read(MetricTable.LABEL_COVERAGE);
        Dataset<Row> before = side(coverage, parentRunId, "b");
        Dataset<Row> after = side(coverage, runId, "a");
        Dataset<Row> common = before.select(col("b_target").as("c_target")).distinct()
                .intersect(after.select(col("a_target").as("c_target")).distinct());
        Column sameKey = col("b_target").equalTo(col("a_target")).and(col("b_label").equalTo(col("a_label")));
        Column target = coalesce(col("a_target"), col("b_target"));
        return before.join(after, sameKey, "full_outer")
                .join(common, target.equalTo(col("c_target")), "left_semi")
                .select(lit(runId).as(MetricTables.RUN_ID),
                        lit(parentRunId).as("parent_run_id"),
                        target.as("target"),
                        coalesce(col("a_label"), col("b_label")).as("label"),
                        when(col("b_label").isNull(), lit(NEW))
                                .when(col("a_label").isNull(), lit(REMOVED))
                                .otherwise(lit(KEPT)).as("status"),
                        col("b_rows").as("rows_before"),
                        col("a_rows").as("rows_after"),
                        col("b_share").as("handled_share_before"),
                        col("a_share").as("handled_share_after"),
                        col("b_agreement").as("agreement_before"),
                        col("a_agreement").as("agreement_after"));
    }

    /**
     * Writes the deltas (replacing an earlier attempt of the same run) and returns the row count
     * per status, a small aggregate for the log and the runs table.
     */
    public Map<String, Long> write(String runId, String parentRunId) {
        Dataset<Row> rows = compute(runId, parentRunId);
        new DeltaWriter(spark, layout).write(MetricTable.LABEL_DELTAS, runId, rows);
        Map<String, Long> byStatus = new TreeMap<>();
        for (Row r : new LakehouseTables(spark, layout).read(MetricTable.LABEL_DELTAS)
                .where(col(MetricTables.RUN_ID).equalTo(runId)).groupBy("status").count().collectAsList()) {
            byStatus.put(r.getString(0), r.getLong(1));
        }
        LOG.info("label deltas of run {} against {}: {}", runId, parentRunId, byStatus);
        return byStatus;
    }

    private static Dataset<Row> side(Dataset<Row> coverage, String runId, String p) {
        return coverage.where(col(MetricTables.RUN_ID).equalTo(runId))
                .select(col("target").as(p + "_target"), col("label").as(p + "_label"), col("rows").as(p + "_rows"),
                        col("handled_share").as(p + "_share"), col("agreement_on_handled").as(p + "_agreement"));
    }
}
