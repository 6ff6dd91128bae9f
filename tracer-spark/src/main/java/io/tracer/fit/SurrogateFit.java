package io.tracer.fit;

import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.ZooResult;

/** The zoo stage's record: the prepared rows and the cross-validated zoo with its winner. */
public record SurrogateFit(FitData data, ZooResult zoo) {
    /** The winner, refitted on every train row. */
    public SurrogateModel winner() {
        return zoo.winner();
    }
}
