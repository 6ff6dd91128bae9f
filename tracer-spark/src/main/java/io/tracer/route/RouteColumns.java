package io.tracer.route;

import io.tracer.policy.DeferralReason;

/** Columns a routed row carries, as written to the routing output table, and the deferral reasons ({@link DeferralReason}). */
public final class RouteColumns {
    private RouteColumns() {}

    public static final String DECISION = "decision";
    public static final String HANDLED = "handled";
    public static final String DEFERRED = "deferred";
    /** The surrogate's label when handled, else null. */
    public static final String SURROGATE_LABEL = "surrogate_label";
    /** The policy's accept score (for RSB the cascade score); null when the vector could not be scored. */
    public static final String SCORE = "accept_score";
    /** 1 or 2 for the stage that handled the row, 0 when deferred. */
    public static final String STAGE = "stage";
    /** Why a row was deferred (one of the reason codes below), null when handled. */
    public static final String REASON = "reason";
    /** The particulars of the deferral (the score and threshold, the distance, the width), null when handled. */
    public static final String REASON_DETAIL = "reason_detail";
    /** True on handled rows picked for the shadow sample: send them to the teacher too, for the audit. */
    public static final String SHADOW = "shadow";
    /** The policy version that routed the row. */
    public static final String POLICY_VERSION = "policy_version";
    /** When the row was routed. */
    public static final String ROUTED_AT = "routed_at";
    /** The route run that wrote the row. */
    public static final String RUN_ID = "run_id";

    /** Reason: the accept score is below the certified threshold. */
    public static final String GATE_SCORE = DeferralReason.GATE_SCORE;
    /** Reason: the input is far from everything seen in training (the OOD gate). */
    public static final String OUT_OF_DISTRIBUTION = DeferralReason.OUT_OF_DISTRIBUTION;
    /** Reason: the embedding is missing or its width is not the one the models were fitted on. */
    public static final String UNSEEN_FEATURE_WIDTH = DeferralReason.UNSEEN_FEATURE_WIDTH;
    /** Reason: the policy's method is none; nothing is handled. */
    public static final String NO_POLICY = DeferralReason.NO_POLICY;
}
