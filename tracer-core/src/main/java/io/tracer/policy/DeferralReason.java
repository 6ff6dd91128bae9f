package io.tracer.policy;

/**
 * Why a policy defers an input to the teacher: the reason codes every router writes (Spark's
 * {@code tracer route} in its {@code reason} column, the Spark-free router in its decision).
 * The first that applies wins, in this order: no policy, unseen feature width, unscorable,
 * out of distribution, gate score.
 */
public final class DeferralReason {
    private DeferralReason() {}

    /** The policy's method is none; nothing is handled. */
    public static final String NO_POLICY = "no_policy";
    /** The embedding is missing or its width is not the one the models were fitted on. */
    public static final String UNSEEN_FEATURE_WIDTH = "unseen_feature_width";
    /** The Spark-free router cannot score the input the way Spark would; the teacher answers. */
    public static final String UNSCORABLE = "router_unscorable";
    /** The input is far from everything seen in training (the OOD gate). */
    public static final String OUT_OF_DISTRIBUTION = "out_of_distribution";
    /** The accept score is below the certified threshold. */
    public static final String GATE_SCORE = "gate_score";
}
