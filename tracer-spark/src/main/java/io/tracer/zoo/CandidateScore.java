package io.tracer.zoo;

import java.util.List;

/**
 * One row of the candidates table for a surrogate: a candidate at one phase of the zoo, with
 * the rows it saw. (Not to be confused with {@code certify.CandidateCertification}, a pipeline
 * candidate's selection prediction and calibration result at one target.)
 *
 * <p>Phases: {@link #SEARCH}, one row per successive-halving rung the candidate reached (fitted
 * on {@code trainRows} rows, scored on {@code evalRows} held-out rows); {@link #CROSS_FIT}, a
 * finalist's k-fold fit on the out-of-fold sample (one score per fold; the better finalist wins;
 * a finalist that trailed by more than the margin on the first fold stopped there, with one score);
 * {@link #FINAL}, the winner
 * refitted on every train row (no score: no row is left to score it on); {@link #REFIT}, the
 * winner refitted on the train and selection rows together, the surrogate published when
 * {@code tracer.zoo.refit-rows} allows it (no score either).
 *
 * @param metric       the selection metric (macro-f1 or accuracy)
 * @param rung         the halving rung (0 first); -1 outside the search
 * @param trainRows    rows the fit saw (per fold: the sample minus the fold)
 * @param evalRows     rows the score was measured on (for the cross-fit, the whole sample, or
 *                     the first fold's rows for a finalist that stopped there)
 * @param foldScores   the metric per held-out fold (cross-fit only; empty otherwise)
 * @param mean         the metric: on the holdout (search) or the mean over the folds fitted (cross-fit);
 *                     NaN for the final fit
 * @param std          sample standard deviation of the fold scores; NaN with fewer than two
 * @param accuracy     teacher accuracy on the same rows as {@code mean}
 * @param macroF1      teacher macro-F1 on the same rows as {@code mean}
 * @param fitSeconds   wall seconds spent fitting (summed over folds)
 * @param iterations   optimizer iterations of the fit (the most over folds); null for models
 *                     that do not iterate to a tolerance
 * @param converged    true when every fit stopped on its tolerance before the iteration cap;
 *                     null as for {@code iterations}
 */
public record CandidateScore(String name, String kind, String metric, String phase, int rung, long trainRows,
                             long evalRows, List<Double> foldScores, double mean, double std, double accuracy,
                             double macroF1, double fitSeconds, Integer iterations, Boolean converged) {
    public static final String SEARCH = "search";
    public static final String CROSS_FIT = "cross-fit";
    public static final String FINAL = "final";
    public static final String REFIT = "refit";

    public CandidateScore {
        foldScores = List.copyOf(foldScores);
    }
}
