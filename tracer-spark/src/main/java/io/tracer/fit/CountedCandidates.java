package io.tracer.fit;

import io.tracer.pipeline.CandidateCounts;

import java.util.List;

/**
 * The pipelines stage's record (and the rsb stage's): every candidate pipeline of the configured
 * families with its threshold counts on selection and calibration.
 *
 * @param candidates the candidates certification chooses among
 * @param l2d        the L2D candidates, counted even when the l2d family is not configured,
 *                   because RSB takes its first stage from them
 */
public record CountedCandidates(ScoredSplits scored, List<CandidateCounts> candidates, List<CandidateCounts> l2d) {
    public CountedCandidates {
        candidates = List.copyOf(candidates);
        l2d = List.copyOf(l2d);
    }

    /** The same with {@code more} candidates appended. */
    public CountedCandidates with(List<CandidateCounts> more) {
        List<CandidateCounts> all = new java.util.ArrayList<>(candidates);
        all.addAll(more);
        return new CountedCandidates(scored, all, l2d);
    }
}
