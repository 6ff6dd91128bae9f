package io.tracer.fit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Map;

/**
 * The score stage's record: selection and calibration rows predicted by the surrogate, scored
 * by every gate ({@code gate_<name>}) and flagged by the OOD gate, persisted; and each gate's
 * AUC for predicting agreement on the selection split.
 */
public record ScoredSplits(OodFit models, Dataset<Row> selection, Dataset<Row> calibration,
                           Map<String, Double> gateAuc) {
    public ScoredSplits {
        gateAuc = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gateAuc));
    }

    public FitData data() {
        return models.gates().surrogate().data();
    }
}
