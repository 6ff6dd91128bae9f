package io.tracer.zoo;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the zoo returns.
 *
 * @param candidates  every fit the zoo made, with the rows it saw: each candidate's search rungs,
 *                    then each finalist's cross-fit, then the winner's final fit ({@link CandidateScore})
 * @param winnerSpec  the selected candidate
 * @param winner      the winner fitted on all the rows it was given
 * @param outOfFold   the winner's out-of-fold predictions on the cross-fit sample (persisted;
 *                    unpersist when done): trace_id, features, label_index, probability,
 *                    prediction, agree, fold
 */
public record ZooResult(List<CandidateScore> candidates, SurrogateSpec winnerSpec, SurrogateModel winner,
                        Dataset<Row> outOfFold) {
    public ZooResult {
        candidates = List.copyOf(candidates);
    }

    /** The same result with one more row for the candidates table (e.g. the winner's refit). */
    public ZooResult with(CandidateScore score) {
        List<CandidateScore> more = new java.util.ArrayList<>(candidates);
        more.add(score);
        return new ZooResult(more, winnerSpec, winner, outOfFold);
    }

    /** Each searched candidate's score at the last rung it reached, in the order first scored. */
    public List<CandidateScore> searchScores() {
        Map<String, CandidateScore> last = new LinkedHashMap<>();
        for (CandidateScore s : candidates) {
            if (CandidateScore.SEARCH.equals(s.phase())) {
                last.put(s.name(), s);
            }
        }
        return List.copyOf(last.values());
    }

    /** The winner's k-fold cross-fit: fold scores on the out-of-fold sample. */
    public CandidateScore crossFit() {
        return candidates.stream().filter(s -> CandidateScore.CROSS_FIT.equals(s.phase())
                        && s.name().equals(winnerSpec.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the zoo made no cross-fit"));
    }
}
