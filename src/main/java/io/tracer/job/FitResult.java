package io.tracer.job;

import io.tracer.gate.GateModel;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.TargetOutcome;
import io.tracer.zoo.ZooResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a fit decided, for publication, tables and the summary.
 *
 * @param selection   selection rows predicted by the surrogate and scored by every gate
 * @param calibration the same for calibration rows (read only by certification and reports)
 * @param ood         the out-of-distribution gate measured on train rows, when tracer.ood.enabled;
 *                    selection and calibration rows carry its flag and the families counted it
 */
public record FitResult(FitRequest request, FitData data, ZooResult zoo, Map<String, GateModel> gates,
                        Map<String, Double> gateAuc, List<CandidateCounts> candidates,
                        List<TargetOutcome> outcomes, Dataset<Row> selection, Dataset<Row> calibration,
                        Map<String, Double> stageSeconds, Optional<OodGate> ood) {

    public TargetOutcome outcome(double target) {
        return outcomes.stream().filter(o -> o.target() == target).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no outcome for target " + target));
    }

    public TargetOutcome deployed() {
        return outcome(request.deployTarget());
    }
}
