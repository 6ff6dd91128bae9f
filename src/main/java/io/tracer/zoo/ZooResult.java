package io.tracer.zoo;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * What cross-validated selection returns.
 *
 * @param candidates  every candidate's CV scores, in the order they were specified
 * @param winnerSpec  the selected candidate
 * @param winner      the winner refitted on all the rows it was given
 * @param outOfFold   the winner's out-of-fold predictions for every row (persisted; unpersist when
 *                    done): trace_id, features, label_index, probability, prediction, agree, fold
 */
public record ZooResult(List<CandidateScore> candidates, SurrogateSpec winnerSpec, SurrogateModel winner,
                        Dataset<Row> outOfFold) {
    public ZooResult {
        candidates = List.copyOf(candidates);
    }
}
