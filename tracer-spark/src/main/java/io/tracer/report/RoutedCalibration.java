package io.tracer.report;

import io.tracer.Columns;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.PipelineCandidate;
import io.tracer.pipeline.ScoredColumns;
import io.tracer.certify.TargetOutcome;
import io.tracer.route.RouteColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * The calibration rows as the deployed policy routes them, one row each with its decision.
 *
 * <p>Read from the deployed candidate's scored calibration rows, the very rows the certificate
 * counted, rather than by routing again: the decision is the one the guarantee is about, and
 * no model runs twice. A row is handled when its score is a number at or above the certified
 * threshold; a NaN score is what the families give rows the OOD gate flagged (Spark orders NaN
 * above every number, so a bare {@code >=} would wrongly accept them).
 *
 * <p>Columns: {@code trace_id, input, teacher, features, decision, stage, accept_score,
 * surrogate_label, agree, reason, input_length}; {@code stage} is 1 or 2 on handled rows and 0
 * on deferred ones, {@code reason} is null on handled rows.
 */
public final class RoutedCalibration {
    public static final String INPUT_LENGTH = "input_length";

    private RoutedCalibration() {}

    public static Dataset<Row> of(ReportInput fit) {
        TargetOutcome outcome = fit.deployed();
        Dataset<Row> calibration = fit.calibration();
        boolean flagged = Arrays.asList(calibration.columns()).contains(OodGate.FLAG);
        Dataset<Row> base = calibration.select(col(Columns.TRACE_ID), col(Columns.INPUT), col(Columns.TEACHER),
                col(Columns.FEATURES), (flagged ? col(OodGate.FLAG) : lit(false)).as("_ood"));
        if (outcome.deployed().isEmpty()) {
            return base.select(col(Columns.TRACE_ID), col(Columns.INPUT), col(Columns.TEACHER), col(Columns.FEATURES),
                    lit(RouteColumns.DEFERRED).as(RouteColumns.DECISION), lit(0).as(RouteColumns.STAGE),
                    lit(null).cast("double").as(RouteColumns.SCORE),
                    lit(null).cast("string").as(RouteColumns.SURROGATE_LABEL),
                    lit(null).cast("double").as(Columns.AGREE),
                    lit(RouteColumns.NO_POLICY).as(RouteColumns.REASON),
                    length(col(Columns.INPUT)).as(INPUT_LENGTH));
        }
        double threshold = outcome.certified().orElseThrow().threshold();
        PipelineCandidate candidate = outcome.deployed().get().candidate();
        Dataset<Row> scored = candidate.calibration().select(col(Columns.TRACE_ID),
                col(ScoredColumns.SCORE).cast("double").as("_score"), col(ScoredColumns.AGREE).as("_agree"),
                col(ScoredColumns.HANDLED_LABEL).as("_label"), col(ScoredColumns.STAGE).as("_stage"));
        Column s = col("_score");
        Column handled = s.isNotNull().and(not(isnan(s))).and(s.geq(lit(threshold)));
        Column labels = array(fit.labels().labels().stream().map(l -> lit(l)).toArray(Column[]::new));
        return base.join(scored, Columns.TRACE_ID)
                .withColumn("_handled", handled)
                .select(col(Columns.TRACE_ID), col(Columns.INPUT), col(Columns.TEACHER), col(Columns.FEATURES),
                        when(col("_handled"), lit(RouteColumns.HANDLED)).otherwise(lit(RouteColumns.DEFERRED))
                                .as(RouteColumns.DECISION),
                        when(col("_handled"), col("_stage")).otherwise(lit(0)).as(RouteColumns.STAGE),
                        s.as(RouteColumns.SCORE),
                        // what the stage that would answer says, on deferred rows too: readers compare it
                        element_at(labels, col("_label").cast("int").plus(1)).as(RouteColumns.SURROGATE_LABEL),
                        col("_agree").cast("double").as(Columns.AGREE),
                        when(col("_handled"), lit(null).cast("string"))
                                .when(col("_ood"), lit(RouteColumns.OUT_OF_DISTRIBUTION))
                                .otherwise(lit(RouteColumns.GATE_SCORE)).as(RouteColumns.REASON),
                        length(col(Columns.INPUT)).as(INPUT_LENGTH));
    }
}
