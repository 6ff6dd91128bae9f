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
        org.apache.spark.sql.Column s = org.apache.spark.sql.functions.col(SCORE);
        return s.isNotNull().and(org.apache.spark.sql.functions.not(org.apache.spark.sql.functions.isnan(s)))
                .and(s.geq(org.apache.spark.sql.functions.lit(threshold)));
    }
}
