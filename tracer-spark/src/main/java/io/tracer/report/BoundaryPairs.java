package io.tracer.report;

import io.tracer.Columns;
import io.tracer.route.RouteColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

/**
 * The {@code boundary_pairs} table: per teacher label, handled and deferred rows that lie close
 * together in embedding space, which is where the policy draws its line through the label.
 *
 * <p>Bounded work whatever the traffic: {@link Sampling} keeps up to {@code sample} handled and
 * {@code sample} deferred rows per label, the pairs are formed only within a label (an equi-join,
 * at most sample^2 per label), each deferred row keeps its nearest handled row, and the
 * {@code pairs} closest of those are ranked. The distance is Euclidean (as the OOD gate's), by
 * built-in higher-order functions over the two arrays.
 */
public final class BoundaryPairs {
    private static final String DISTANCE = "aggregate(zip_with(_h_vec, _d_vec, (x, y) -> (x - y) * (x - y)), "
            + "0D, (acc, v) -> acc + v)";

    private BoundaryPairs() {}

    public static Dataset<Row> of(Dataset<Row> routed, String runId, double target, int sample, int pairs,
                                  long seed) {
        Dataset<Row> sampled = Sampling.perLabelAndDecision(routed, sample, seed)
                .withColumn("_vec", vector_to_array(col(Columns.FEATURES), "float64"));
        Dataset<Row> handled = sampled.where(col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED))
                .select(col(Columns.TEACHER).as("label"), col(Columns.TRACE_ID).as("handled_trace_id"),
                        col(Columns.INPUT).as("handled_input"), col(RouteColumns.SCORE).as("handled_score"),
                        col(RouteColumns.SURROGATE_LABEL).as("handled_surrogate_label"), col("_vec").as("_h_vec"));
        Dataset<Row> deferred = sampled.where(col(RouteColumns.DECISION).equalTo(RouteColumns.DEFERRED))
                .select(col(Columns.TEACHER).as("label"), col(Columns.TRACE_ID).as("deferred_trace_id"),
                        col(Columns.INPUT).as("deferred_input"), col(RouteColumns.SCORE).as("deferred_score"),
                        col(RouteColumns.REASON).as("deferred_reason"), col("_vec").as("_d_vec"));
        Dataset<Row> joined = handled.join(deferred, "label")
                .withColumn("distance", expr("sqrt(" + DISTANCE + ")"));
        Dataset<Row> nearest = joined.withColumn("_n", row_number().over(Window.partitionBy("label", "deferred_trace_id")
                        .orderBy(col("distance"), col("handled_trace_id"))))
                .where(col("_n").equalTo(1));
        return nearest.withColumn("rank", row_number().over(Window.partitionBy("label")
                        .orderBy(col("distance"), col("deferred_trace_id"))))
                .where(col("rank").leq(pairs))
                .select(lit(runId).as("run_id"), lit(target).as("target"), col("label"), col("rank"),
                        col("distance"), col("handled_trace_id"), col("handled_input"), col("handled_score"),
                        col("handled_surrogate_label"), col("deferred_trace_id"), col("deferred_input"),
                        col("deferred_score"), col("deferred_reason"));
    }
}
