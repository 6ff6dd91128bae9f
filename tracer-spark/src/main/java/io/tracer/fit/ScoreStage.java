package io.tracer.fit;

import io.tracer.Columns;
import io.tracer.Lineage;
import io.tracer.gate.GateEvaluator;
import io.tracer.gate.GateModel;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.GateScores;
import io.tracer.zoo.SurrogateModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Stage score: the selection rows predicted by the winner's fit on train rows, the calibration
 * rows by the published surrogate ({@link SurrogateFit}), both scored by every
 * gate and flagged by the OOD gate, persisted once for every family; each gate's AUC on the
 * selection split.
 */
public final class ScoreStage implements FitStage<OodFit, ScoredSplits> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreStage.class);

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String describe(OodFit models) {
        return "score selection and calibration rows";
    }

    @Override
    public long rows(OodFit models, ScoredSplits scored) {
        FitData data = scored.data();
        return data.selectionRows() + data.calibrationRows();
    }

    @Override
    public ScoredSplits run(OodFit models) {
        SurrogateFit surrogate = models.gates().surrogate();
        Map<String, GateModel> gates = models.gates().gates();
        FitData data = surrogate.data();
        // Selection rows by the fit that never saw them; calibration rows by the surrogate published.
        Dataset<Row> selection = Lineage.persistCut(score(data.selection(), surrogate.selectionModel(), gates,
                models.ood()));
        Dataset<Row> calibration = Lineage.persistCut(score(data.calibration(), surrogate.published(), gates,
                models.ood()));
        Map<String, Double> gateAuc = new LinkedHashMap<>();
        for (String name : gates.keySet()) {
            double auc = GateEvaluator.auc(selection.select(col(GateScores.column(name)).as(Columns.ACCEPT_SCORE),
                    col(Columns.AGREE)));
            gateAuc.put(name, auc);
            LOG.info("gate {}: AUC on the selection split {}", name, String.format("%.4f", auc));
        }
        return new ScoredSplits(models, selection, calibration, gateAuc);
    }

    /** Predicted, every gate's score, and the OOD distance and flag from the prediction. */
    private static Dataset<Row> score(Dataset<Row> rows, SurrogateModel surrogate, Map<String, GateModel> gates,
                                      Optional<OodGate> ood) {
        Dataset<Row> scored = GateScores.addAll(surrogate.predictWithAgree(rows), gates);
        // The probability vector (K doubles a row) has served the gates; nothing after reads it.
        return ood.map(g -> g.flag(scored, Columns.FEATURES, Columns.PREDICTION)).orElse(scored)
                .drop(Columns.PROBABILITY, Columns.EMBEDDING);
    }
}
