package io.tracer.pipeline;

import io.tracer.calibrate.ThresholdCounts;

/**
 * A candidate's threshold grid (from the selection split) with its counts on the selection
 * and calibration splits. Computed once per candidate and reused for every target it serves.
 */
public record CandidateCounts(PipelineCandidate candidate, ThresholdCounts selection, ThresholdCounts calibration) {}
