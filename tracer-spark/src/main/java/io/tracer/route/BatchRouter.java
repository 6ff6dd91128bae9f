package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.GateScores;
import io.tracer.pipeline.PolicyStage;
import io.tracer.pipeline.ScoredColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Applies a {@link RoutingPlan} to rows that carry {@link Columns#EMBEDDING} (or
 * {@link Columns#FEATURES}): every row comes out once with a decision, all in DataFrame
 * expressions (no per-row driver work, no UDF).
 *
 * <p>A row is handled when its vector has the width the models were fitted on, the OOD gate
 * (when the plan has one) does not flag it, and the policy's accept score is a number at or
 * above the certified threshold; the score is NaN-safe the way certification counted it (a NaN
 * or null score is never accepted). Deferral reasons, first that applies:
 * {@link RouteColumns#UNSEEN_FEATURE_WIDTH}, {@link RouteColumns#OUT_OF_DISTRIBUTION},
 * {@link RouteColumns#GATE_SCORE}; a plan of method none defers every row with
 * {@link RouteColumns#NO_POLICY}.
 *
 * <p>Rows of the wrong width are scored on a vector of ones of the right width (so the models do not
 * fail on them, which they would even under a filter) and the result is discarded.
 */
public final class BatchRouter {
    private static final String WIDTH_OK = "_route_width_ok";
    private static final String WIDTH = "_route_width";

    private final RoutingPlan plan;

    public BatchRouter(RoutingPlan plan) {
        this.plan = plan;
    }

    public RoutingPlan plan() {
        return plan;
    }

    public Dataset<Row> route(Dataset<Row> rows) {
        Dataset<Row> prepared = prepare(rows);
        Dataset<Row> out = switch (plan.method()) {
            case NONE -> prepared.withColumn(RouteColumns.DECISION, lit(RouteColumns.DEFERRED))
                    .withColumn(RouteColumns.SURROGATE_LABEL, lit(null).cast("string"))
                    .withColumn(RouteColumns.SCORE, lit(null).cast("double"))
                    .withColumn(RouteColumns.STAGE, lit(0))
                    .withColumn(RouteColumns.REASON, lit(RouteColumns.NO_POLICY))
                    .withColumn(RouteColumns.REASON_DETAIL, lit("no policy certified: " + plan.noneReason()));
            case GLOBAL -> decide(predict(prepared, plan.stages().get(0), "r1"), lit(1.0), lit(1), col("r1_label"));
            case L2D -> decide(predict(prepared, plan.stages().get(0), "r1"), col("r1_score"), lit(1), col("r1_label"));
            case RSB -> cascade(prepared);
        };
        String[] scratch = Arrays.stream(out.columns())
                .filter(c -> c.startsWith("r1_") || c.startsWith("r2_") || c.startsWith("_route_")
                        || c.equals(OodGate.FLAG) || c.equals(OodGate.DISTANCE))
                .toArray(String[]::new);
        return out.drop(scratch);
    }

    /** Adds the width check and features the models can read whatever the row's width. */
    private Dataset<Row> prepare(Dataset<Row> rows) {
        List<String> have = Arrays.asList(rows.columns());
        int dim = plan.dim();
        if (have.contains(Columns.EMBEDDING)) {
            Column emb = col(Columns.EMBEDDING);
            Column width = when(emb.isNull(), lit(-1)).otherwise(size(emb));
            Column ok = dim > 0 ? width.equalTo(dim) : emb.isNotNull();
            // A vector of ones, not zeros: an assembler compresses a mostly-zero vector to a sparse
            // one, and xgboost4j-spark's sparse path fails on it (an assertion, then a native abort
            // that takes the JVM down), so one wrong-width row would kill a boosted-gate route.
            Column safe = dim > 0 ? when(col(WIDTH_OK), emb).otherwise(array_repeat(lit(1.0f), dim)) : emb;
            return rows.withColumn(WIDTH, width).withColumn(WIDTH_OK, ok)
                    .withColumn(Columns.FEATURES, array_to_vector(safe));
        }
        if (have.contains(Columns.FEATURES)) {
            return rows.withColumn(WIDTH, lit(dim)).withColumn(WIDTH_OK, col(Columns.FEATURES).isNotNull());
        }
        throw new BadInputException("cannot route: the rows have neither " + Columns.EMBEDDING + " nor "
                + Columns.FEATURES + "; their columns are " + have);
    }

    private Dataset<Row> cascade(Dataset<Row> rows) {
        PolicyStage first = plan.stages().get(0);
        Dataset<Row> both = predict(predict(rows, first, "r1"), plan.stages().get(1), "r2");
        // CascadeScore's NaN rule: a NaN or null first-stage score goes to stage 2 (a bare geq would keep it at stage 1).
        Column firstHandles = ScoredColumns.accepts(col("r1_score"), first.cascadeThreshold());
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
        Dataset<Row> in = rows.withColumn("_route_score", score.cast("double"));
        Column widthOk = col(WIDTH_OK);
        // The OOD gate reads the first stage's prediction, as certification did (the score stage flags
        // selection and calibration rows with the first-stage surrogate's prediction).
        Column ood = lit(false);
        Column oodDetail = lit(null).cast("string");
        if (plan.ood() != null) {
            in = plan.ood().flag(in, Columns.FEATURES, "r1_label");
            ood = col(OodGate.FLAG);
            oodDetail = format_string("distance %.4f to the train centroid of the predicted label exceeds %.4f",
                    col(OodGate.DISTANCE), plan.ood().threshold(col("r1_label")));
        }
        Column s = col("_route_score");
        Column passes = ScoredColumns.accepts(s, plan.threshold());
        Column handled = widthOk.and(not(ood)).and(passes);
        Column labels = array(plan.labels().labels().stream().map(l -> lit(l)).toArray(Column[]::new));
        return in
                .withColumn("_route_handled", handled)
                .withColumn(RouteColumns.SCORE, when(widthOk, s))
                .withColumn(RouteColumns.DECISION, when(col("_route_handled"), lit(RouteColumns.HANDLED))
                        .otherwise(lit(RouteColumns.DEFERRED)))
                .withColumn(RouteColumns.STAGE, when(col("_route_handled"), stage).otherwise(lit(0)))
                .withColumn(RouteColumns.SURROGATE_LABEL,
                        when(col("_route_handled"), element_at(labels, labelIndex.cast("int").plus(1))))
                .withColumn(RouteColumns.REASON,
                        when(not(widthOk), lit(RouteColumns.UNSEEN_FEATURE_WIDTH))
                                .when(ood, lit(RouteColumns.OUT_OF_DISTRIBUTION))
                                .when(not(passes), lit(RouteColumns.GATE_SCORE)))
                .withColumn(RouteColumns.REASON_DETAIL,
                        when(not(widthOk), format_string("embedding width %d; the policy's models read %d",
                                col(WIDTH), lit(plan.dim())))
                                .when(ood, oodDetail)
                                .when(not(passes), format_string("accept score %.4f below threshold %.4f",
                                        s, lit(plan.threshold()))));
    }
}
