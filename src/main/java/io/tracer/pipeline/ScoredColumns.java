package io.tracer.pipeline;

/** Columns of a scored split: what every family hands to threshold counting and reporting. */
public final class ScoredColumns {
    private ScoredColumns() {}

    /** The family's one accept score (for RSB the {@link CascadeScore}). */
    public static final String SCORE = "pipeline_score";
    /** 1.0 when the stage that would handle the row agrees with the teacher. */
    public static final String AGREE = "pipeline_agree";
    /** The label index the stage that would handle the row answers with. */
    public static final String HANDLED_LABEL = "pipeline_label";
    /** 1 or 2: the stage that handles the row when its score passes the threshold. */
    public static final String STAGE = "pipeline_stage";
}
