package io.tracer.pipeline;

/** Columns of a scored split: what every family hands to threshold counting and reporting. */
public final class ScoredColumns {
    private ScoredColumns() {}

    /** The family's one accept score (for RSB the {@link io.tracer.policy.CascadeScore}). */
    public static final String SCORE = "pipeline_score";
    /** 1.0 when the stage that would handle the row agrees with the teacher. */
    public static final String AGREE = "pipeline_agree";
    /** The label index the stage that would handle the row answers with. */
    public static final String HANDLED_LABEL = "pipeline_label";
    /** 1 or 2: the stage that handles the row when its score passes the threshold. */
    public static final String STAGE = "pipeline_stage";

    /**
     * True where a row with this score is handled at {@code threshold}. A null or NaN score
     * (an out-of-distribution row) never is: Spark orders NaN above every number, so a bare
     * {@code geq} would count those rows as handled, unlike certification and routing.
     */
    public static org.apache.spark.sql.Column handledAt(double threshold) {
        return accepts(org.apache.spark.sql.functions.col(SCORE), threshold);
    }

    /**
     * The NaN rule of {@link io.tracer.policy.CascadeScore} in Spark SQL: true where {@code score}
     * is a number at or above {@code threshold}; false (never null) for a null or NaN score, which
     * Spark's own {@code geq} would order above every number. Every stage's accept decision goes
     * through it: an RSB first stage that does not accept a row (NaN score included) passes it to
     * the second stage, and a policy score that is not a number is never accepted.
     */
    public static org.apache.spark.sql.Column accepts(org.apache.spark.sql.Column score, double threshold) {
        return org.apache.spark.sql.functions.coalesce(
                score.isNotNull().and(org.apache.spark.sql.functions.not(org.apache.spark.sql.functions.isnan(score)))
                        .and(score.geq(org.apache.spark.sql.functions.lit(threshold))),
                org.apache.spark.sql.functions.lit(false));
    }
}
