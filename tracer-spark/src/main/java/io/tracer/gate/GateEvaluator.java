package io.tracer.gate;

import io.tracer.Columns;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How well a gate ranks agreeing rows above disagreeing ones: area under the ROC curve of
 * {@link Columns#ACCEPT_SCORE} against {@link Columns#AGREE} (0.5 = no better than chance).
 */
public final class GateEvaluator {
    private GateEvaluator() {}

    /** AUC on scored rows (columns accept_score and agree), e.g. the selection split. */
    public static double auc(Dataset<Row> scored) {
        return new BinaryClassificationEvaluator()
                .setRawPredictionCol(Columns.ACCEPT_SCORE)
                .setLabelCol(Columns.AGREE)
                .setMetricName("areaUnderROC")
                .evaluate(scored);
    }

    /** Scores {@code rows} with {@code gate} and returns the AUC. */
    public static double auc(GateModel gate, Dataset<Row> withProbabilityFeaturesAndAgree) {
        return auc(gate.score(withProbabilityFeaturesAndAgree));
    }
}
