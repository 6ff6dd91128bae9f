package io.tracer.fit;

import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.ZooResult;

/**
 * The zoo stage's record: the prepared rows, the cross-validated zoo and the surrogate to publish.
 *
 * <p>Two fits of the winner can be in play. The selection split must be predicted by a model that
 * never saw it, since the choices made there are what calibration then tests: that is the
 * winner's fit on the train rows ({@link #selectionModel}). What is published, and so what the
 * calibration rows are predicted by and certified for, may be the winner refitted on the train
 * and selection rows together ({@link #published}): it is fixed before any calibration row is
 * read, which is all the certificate needs, and it learns from a third more rows.
 *
 * @param published the surrogate the policy carries: {@code zoo.winner()}, or its refit on the
 *                  train and selection rows ({@code tracer.zoo.refit-rows})
 */
public record SurrogateFit(FitData data, ZooResult zoo, SurrogateModel published) {
    /** The winner fitted on the train rows alone: what predicts the selection split. */
    public SurrogateModel selectionModel() {
        return zoo.winner();
    }

    /** Whether the published surrogate is a refit on the train and selection rows. */
    public boolean refitted() {
        return published != zoo.winner();
    }
}
