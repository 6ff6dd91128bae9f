package io.tracer.report;

import io.tracer.Columns;
import io.tracer.route.RouteColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The {@code slices} table: rows, handled share and agreement on handled rows over the whole
 * calibration split, per teacher label and per input-length tercile, from
 * {@link RoutedCalibration} rows. All aggregation; the tercile cut points come from a one-row
 * {@code percentile_approx} joined back, so nothing is collected.
 */
public final class SliceTable {
    public static final String ALL = "all";
    public static final String LABEL = "label";
    public static final String INPUT_LENGTH = "input_length";
    public static final String SHORT = "short";
    public static final String MEDIUM = "medium";
    public static final String LONG = "long";

    private SliceTable() {}

    public static Dataset<Row> of(Dataset<Row> routed, String runId, double target) {
        Dataset<Row> cuts = routed.agg(percentile_approx(col(RoutedCalibration.INPUT_LENGTH),
                array(lit(1.0 / 3), lit(2.0 / 3)), lit(10000)).as("_cuts"));
        Column len = col(RoutedCalibration.INPUT_LENGTH);
        Column tercile = when(len.leq(element_at(col("_cuts"), 1)), lit(SHORT))
                .when(len.leq(element_at(col("_cuts"), 2)), lit(MEDIUM))
                .otherwise(lit(LONG));
        Dataset<Row> withTercile = routed.crossJoin(broadcast(cuts)).withColumn("_tercile", tercile);

        Dataset<Row> all = counts(routed.withColumn("_slice", lit(ALL)), ALL);
        Dataset<Row> labels = counts(routed.withColumn("_slice", col(Columns.TEACHER)), LABEL);
        Dataset<Row> lengths = counts(withTercile.withColumn("_slice", col("_tercile")), INPUT_LENGTH);
        Dataset<Row> counted = all.unionByName(labels).unionByName(lengths);
        return counted.select(lit(runId).as("run_id"), lit(target).as("target"), col("dimension"), col("slice"),
                col("length_min"), col("length_max"), col("rows"), col("handled"),
                col("handled").divide(col("rows")).as("handled_share"), col("agreeing"),
                when(col("handled").gt(0), col("agreeing").divide(col("handled"))).as("agreement_on_handled"),
                col("handled_stage1"), col("handled_stage2"), col("deferred_gate"), col("deferred_ood"));
    }

    private static Dataset<Row> counts(Dataset<Row> rows, String dimension) {
        Column handled = col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED);
        Column reason = col(RouteColumns.REASON);
        return rows.groupBy(col("_slice")).agg(
                        min(col(RoutedCalibration.INPUT_LENGTH)).as("length_min"),
                        max(col(RoutedCalibration.INPUT_LENGTH)).as("length_max"),
                        count(lit(1)).as("rows"),
                        ones(handled).as("handled"),
                        sum(when(handled, col(Columns.AGREE)).otherwise(0.0)).cast("long").as("agreeing"),
                        ones(handled.and(col(RouteColumns.STAGE).equalTo(1))).as("handled_stage1"),
                        ones(handled.and(col(RouteColumns.STAGE).equalTo(2))).as("handled_stage2"),
                        ones(reason.equalTo(RouteColumns.GATE_SCORE)).as("deferred_gate"),
                        ones(reason.equalTo(RouteColumns.OUT_OF_DISTRIBUTION)).as("deferred_ood"))
                .withColumn("dimension", lit(dimension))
                .withColumnRenamed("_slice", "slice");
    }

    private static Column ones(Column condition) {
        return sum(when(condition, 1L).otherwise(0L));
    }
}
