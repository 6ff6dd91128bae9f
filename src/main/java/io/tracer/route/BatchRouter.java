package io.tracer.route;

import io.tracer.Columns;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.GateScores;
import io.tracer.pipeline.PolicyStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.when;

/**
 * Applies a {@link RoutingPlan} to rows that carry {@link Columns#FEATURES}: every row comes
 * out once with a decision, all in DataFrame expressions (no per-row driver work).
 */
public final class BatchRouter {
    private final RoutingPlan plan;

    public BatchRouter(RoutingPlan plan) {
        this.plan = plan;
    }

    public Dataset<Row> route(Dataset<Row> rows) {
        return switch (plan.method()) {
            case NONE -> rows.withColumn(RouteColumns.DECISION, lit(RouteColumns.DEFERRED))
                    .withColumn(RouteColumns.SURROGATE_LABEL, lit(null).cast("string"))
                    .withColumn(RouteColumns.SCORE, lit(null).cast("double"))
                    .withColumn(RouteColumns.STAGE, lit(0))
                    .withColumn(RouteColumns.REASON, lit("no policy certified: " + plan.noneReason()));
            case GLOBAL -> decide(predict(rows, plan.stages().get(0), "r1"), lit(1.0), lit(1), col("r1_label"));
            case L2D -> decide(predict(rows, plan.stages().get(0), "r1"), col("r1_score"), lit(1), col("r1_label"));
            case RSB -> cascade(rows);
        };
    }

    private Dataset<Row> cascade(Dataset<Row> rows) {
        PolicyStage first = plan.stages().get(0);
        Dataset<Row> both = predict(predict(rows, first, "r1"), plan.stages().get(1), "r2");
        Column firstHandles = col("r1_score").geq(lit(first.cascadeThreshold()));
        Column score = when(firstHandles, lit(1.0).plus(col("r1_score"))).otherwise(col("r2_score"));
        Column stage = when(firstHandles, lit(1)).otherwise(lit(2));
        Column label = when(firstHandles, col("r1_label")).otherwise(col("r2_label"));
        return decide(both, score, stage, label);
    }

    /** Predicts with one stage and keeps its label index and gate score under a prefix. */
    private Dataset<Row> predict(Dataset<Row> rows, PolicyStage stage, String prefix) {
        Dataset<Row> predicted = stage.surrogate().predict(rows);
        if (stage.gate() != null) {
            predicted = GateScores.add(predicted, stage.gate(), prefix + "_score");
        }
        predicted = predicted.withColumnRenamed(Columns.PREDICTION, prefix + "_label");
        for (String c : new String[] {Columns.PROBABILITY, "rawPrediction"}) {
            predicted = predicted.drop(c);
        }
        return predicted;
    }

    private Dataset<Row> decide(Dataset<Row> rows, Column score, Column stage, Column labelIndex) {
        Column handled = score.geq(lit(plan.threshold()));
        Column labels = array(plan.labels().labels().stream().map(l -> lit(l)).toArray(Column[]::new));
        Dataset<Row> out = rows
                .withColumn(RouteColumns.SCORE, score)
                .withColumn(RouteColumns.DECISION, when(handled, lit(RouteColumns.HANDLED))
                        .otherwise(lit(RouteColumns.DEFERRED)))
                .withColumn(RouteColumns.STAGE, when(handled, stage).otherwise(lit(0)))
                .withColumn(RouteColumns.SURROGATE_LABEL,
                        when(handled, element_at(labels, labelIndex.cast("int").plus(1))))
                .withColumn(RouteColumns.REASON, when(handled, lit(null).cast("string"))
                        .otherwise(format_string("accept score %.4f below threshold %.4f",
                                col(RouteColumns.SCORE), lit(plan.threshold()))));
        String[] scratch = java.util.Arrays.stream(out.columns())
                .filter(c -> c.startsWith("r1_") || c.startsWith("r2_")).toArray(String[]::new);
        return out.drop(scratch);
    }
}
