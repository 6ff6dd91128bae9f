package io.tracer.report;

import io.tracer.Columns;
import io.tracer.route.RouteColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The {@code examples} table: per teacher label up to {@code perDecision} handled and as many
 * deferred rows, a seeded sample. Sampled rather than the highest and lowest scores: the
 * extremes are the rows nobody needs to read.
 */
public final class ExampleSampler {
    private ExampleSampler() {}

    public static Dataset<Row> of(Dataset<Row> routed, String runId, double target, int perDecision, long seed) {
        return Sampling.perLabelAndDecision(routed, perDecision, seed)
                .select(lit(runId).as("run_id"), lit(target).as("target"), col(Columns.TEACHER).as("label"),
                        col(Columns.TRACE_ID), col(Columns.INPUT), col(RouteColumns.DECISION),
                        col(RouteColumns.SCORE).as("accept_score"), col(RouteColumns.SURROGATE_LABEL),
                        col(Columns.TEACHER));
    }
}
