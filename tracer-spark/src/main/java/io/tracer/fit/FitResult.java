package io.tracer.fit;

import io.tracer.certify.TargetOutcome;
import io.tracer.gate.GateModel;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.report.ReportInput;
import io.tracer.zoo.ZooResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a fit decided, for publication, tables and the summary: the last two records of
 * the stage chain and the seconds each stage took. The accessors below read back along the
 * chain, so callers need not know which stage made what.
 */
public record FitResult(CountedCandidates counted, Frontier frontier, Map<String, Double> stageSeconds) {
    public FitResult {
        stageSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageSeconds));
    }

    public FitRequest request() {
        return data().request();
    }

    public FitData data() {
        return counted.scored().data();
    }

    public ZooResult zoo() {
        return surrogate().zoo();
    }

    /** The zoo's winner: the fit that predicted the selection split and the one published. */
    public SurrogateFit surrogate() {
        return counted.scored().models().gates().surrogate();
    }

    public Map<String, GateModel> gates() {
        return counted.scored().models().gates().gates();
    }

    /** The out-of-distribution gate measured on train rows, when tracer.ood.enabled. */
    public Optional<OodGate> ood() {
        return counted.scored().models().ood();
    }

    public Map<String, Double> gateAuc() {
        return counted.scored().gateAuc();
    }

    /** Selection rows predicted by the winner's fit on train rows and scored by every gate. */
    public Dataset<Row> selection() {
        return counted.scored().selection();
    }

    /** Calibration rows predicted by the published surrogate and scored by every gate (read only by certification and reports). */
    public Dataset<Row> calibration() {
        return counted.scored().calibration();
    }

    public List<CandidateCounts> candidates() {
        return counted.candidates();
    }

    public List<TargetOutcome> outcomes() {
        return frontier.outcomes();
    }

    public TargetOutcome outcome(double target) {
        return frontier.at(target);
    }

    /** What the report reads of this fit. */
    public ReportInput reportInput() {
        return new ReportInput(request().runId(), deployed(), data().labels(), calibration());
    }

    /** The outcome at the deploy target: the policy the fit publishes. */
    public TargetOutcome deployed() {
        return frontier.deployed();
    }
}
