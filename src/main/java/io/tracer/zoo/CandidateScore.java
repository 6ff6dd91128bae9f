package io.tracer.zoo;

import java.util.List;

/**
 * A surrogate candidate's cross-validated scores on the train split: one row of the candidates
 * table. (Not to be confused with {@code certify.CandidateCertification}, a pipeline candidate's
 * selection prediction and calibration result at one target.)
 *
 * @param metric         the selection metric the fold scores use (macro-f1 or accuracy)
 * @param foldScores     the metric on each held-out fold, in fold order
 * @param mean           mean of the fold scores (what selection compares)
 * @param std            sample standard deviation of the fold scores
 * @param accuracyMean   mean teacher accuracy over the folds
 * @param macroF1Mean    mean teacher macro-F1 over the folds
 * @param fitSeconds     wall seconds spent fitting the fold models (summed)
 */
public record CandidateScore(String name, String kind, String metric, List<Double> foldScores, double mean,
                              double std, double accuracyMean, double macroF1Mean, double fitSeconds) {
    public CandidateScore {
        foldScores = List.copyOf(foldScores);
    }
}
