package io.tracer.pipeline;

import io.tracer.Columns;
import io.tracer.gate.GateModel;
import io.tracer.ood.OodGate;
import io.tracer.zoo.SurrogateModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Global and L2D, the one-stage families. Both read rows already predicted by the surrogate
 * and scored by every gate ({@link GateScores}).
 */
public final class SingleStageFamilies {
    private SingleStageFamilies() {}

    /** Global: every row scores 1, so the only threshold is "accept all". */
    public static PipelineCandidate global(SurrogateModel surrogate, Dataset<Row> selection, Dataset<Row> calibration) {
        return new PipelineCandidate(Family.GLOBAL, surrogate.spec().name(), null,
                List.of(new PolicyStage(1, surrogate, null, Double.NaN)), Double.NaN,
                scored(selection, lit(1.0)), scored(calibration, lit(1.0)));
    }

    /** L2D: the surrogate answers where its gate's accept score passes the threshold. */
    public static PipelineCandidate l2d(SurrogateModel surrogate, String gateName, GateModel gate,
                                        Dataset<Row> selection, Dataset<Row> calibration) {
        Column score = col(GateScores.column(gateName));
        return new PipelineCandidate(Family.L2D, surrogate.spec().name(), gateName,
                List.of(new PolicyStage(1, surrogate, gate, Double.NaN)), Double.NaN,
                scored(selection, score), scored(calibration, score));
    }

    /** Out-of-distribution rows (when the rows carry the OOD flag) score NaN: never accepted. */
    static Dataset<Row> scored(Dataset<Row> rows, Column score) {
        return rows.select(col(Columns.TRACE_ID), col(Columns.TEACHER), col(Columns.LABEL_INDEX),
                OodGate.neverAcceptedWhenOod(rows, score.cast("double")).as(ScoredColumns.SCORE),
                col(Columns.AGREE).as(ScoredColumns.AGREE),
                col(Columns.PREDICTION).as(ScoredColumns.HANDLED_LABEL),
                lit(1).as(ScoredColumns.STAGE));
    }
}
