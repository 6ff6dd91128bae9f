package io.tracer.gate;

import io.tracer.Columns;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSizeHint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: the boosted gate exactly as {@link GateTrainer} builds it, except that XGBoost's
 * rabit tracker listens on 127.0.0.1. On hosts where the tracker's own choice of address (the
 * machine's external interface) refuses connections, GateTrainer's fit fails with "Failed to
 * connect to the tracker"; the fitted model is the same kind either way.
 */
public final class LocalTrackerGates {
    private LocalTrackerGates() {}

    public static GateModel boosted(Dataset<Row> outOfFold, GateTrainer.BoostedParams boosted, int seed, int dim) {
        Dataset<Row> rows = ConfidenceFeatures.add(outOfFold);
        List<String> inputs = new ArrayList<>(ConfidenceFeatures.ALL);
        inputs.add(Columns.FEATURES);
        XGBoostClassifier x = new XGBoostClassifier();
        x.setObjective("binary:logistic");
        x.setTreeMethod("hist");
        x.setNumRound(boosted.numRound());
        x.setMaxDepth(boosted.maxDepth());
        x.setEta(boosted.eta());
        x.setSubsample(boosted.subsample());
        x.setColsampleBytree(boosted.colsampleBytree());
        x.setNumWorkers(1);
        x.setNthread(boosted.nthread());
        x.setSeed(seed);
        x.setRabitTrackerHostIp("127.0.0.1");
        x.setFeaturesCol(GateTrainer.ASSEMBLED);
        x.setLabelCol(Columns.AGREE);
        x.setProbabilityCol(GateModel.PROBABILITY);
        x.setRawPredictionCol(GateModel.TMP_PREFIX + "raw");
        x.setPredictionCol(GateModel.TMP_PREFIX + "prediction");
        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(inputs.toArray(new String[0])).setOutputCol(GateTrainer.ASSEMBLED).setHandleInvalid("keep");
        PipelineStage[] stages = {
                new VectorSizeHint().setInputCol(Columns.FEATURES).setSize(dim).setHandleInvalid("optimistic"),
                assembler, x};
        return new GateModel("boosted", new Pipeline().setStages(stages).fit(rows));
    }
}
