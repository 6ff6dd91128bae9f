package io.tracer.pipeline;

import io.tracer.calibrate.ThresholdCounts;
import io.tracer.calibrate.spark.ThresholdCounter;
import io.tracer.calibrate.spark.ThresholdGrid;

/**
 * Builds a candidate's threshold grid from its selection scores and counts (accepted,
 * agreeing) per threshold on both splits: the split-aggregate step, in which only counts
 * per threshold bin leave the partitions.
 */
public final class CandidateCounter {
    private final int gridSize;

    public CandidateCounter(int gridSize) {
        this.gridSize = gridSize;
    }

    public CandidateCounts count(PipelineCandidate unpersisted) {
        PipelineCandidate candidate = unpersisted.persisted();
        double[] thresholds = candidate.family() == Family.GLOBAL
                ? new double[] {1.0}
                : ThresholdGrid.fromScores(candidate.selection(), ScoredColumns.SCORE, gridSize);
        ThresholdCounts selection = ThresholdCounter.count(candidate.selection(), ScoredColumns.SCORE,
                ScoredColumns.AGREE, thresholds);
        ThresholdCounts calibration = ThresholdCounter.count(candidate.calibration(), ScoredColumns.SCORE,
                ScoredColumns.AGREE, thresholds);
        return new CandidateCounts(candidate, selection, calibration);
    }
}
