package io.tracer.serve;

import io.tracer.policy.CascadeScore;
import io.tracer.policy.DeferralReason;

import java.util.Arrays;

/**
 * The decisions for one {@link EmbeddingBlock}, row by row, kept as numbers; the reason details
 * are worded only when asked for ({@link #detail}), with {@code tracer route}'s wording. Both
 * routers read their output from here: the Spark-free router as {@link Decision}s, Spark's
 * {@code tracer route} as columns.
 */
public final class RoutedBlock {
    private enum Outcome { HANDLED, NO_POLICY, UNSEEN_WIDTH, UNSCORABLE, OUT_OF_DISTRIBUTION, GATE_SCORE }

    private final String[] labels;
    private final double threshold;
    /** The threshold as the details print it, formatted once. */
    private final String thresholdText;
    private final int dim;
    private final String noneReason;
    private final Outcome[] outcome;
    private final double[] score;
    private final int[] stage;
    private final int[] label;
    private final int[] width;
    private final double[] distance;
    private final double[] distanceThreshold;
    private final String[] unscorable;
    private int rows;

    RoutedBlock(String[] labels, double threshold, int dim, String noneReason, int capacity) {
        this.labels = labels;
        this.threshold = threshold;
        this.thresholdText = FixedPoint.fourDecimals(threshold);
        this.dim = dim;
        this.noneReason = noneReason;
        this.outcome = new Outcome[capacity];
        this.score = new double[capacity];
        this.stage = new int[capacity];
        this.label = new int[capacity];
        this.width = new int[capacity];
        this.distance = new double[capacity];
        this.distanceThreshold = new double[capacity];
        this.unscorable = new String[capacity];
    }

    public int rows() {
        return rows;
    }

    public boolean handled(int row) {
        return outcome[row] == Outcome.HANDLED;
    }

    /** The surrogate's label when handled, else null. */
    public String label(int row) {
        return handled(row) ? labels[label[row]] : null;
    }

    /** The index of the surrogate's label in the policy's label space when handled, else -1. */
    public int labelIndex(int row) {
        return handled(row) ? label[row] : -1;
    }

    /** The policy's accept score; NaN when nothing was scored (see {@link #scored}). */
    public double score(int row) {
        return scored(row) ? score[row] : Double.NaN;
    }

    /**
     * False when the row got no score: no policy, an unseen width, or unscorable ({@code tracer
     * route} writes a null accept_score). A scored row's score may still be NaN.
     */
    public boolean scored(int row) {
        Outcome o = outcome[row];
        return o != Outcome.NO_POLICY && o != Outcome.UNSEEN_WIDTH && o != Outcome.UNSCORABLE;
    }

    /** 1 or 2 for the stage that handled the row, 0 when deferred. */
    public int stage(int row) {
        return handled(row) ? stage[row] : 0;
    }

    /** The reason code of a deferral ({@link DeferralReason}), null when handled. */
    public String reason(int row) {
        return switch (outcome[row]) {
            case HANDLED -> null;
            case NO_POLICY -> DeferralReason.NO_POLICY;
            case UNSEEN_WIDTH -> DeferralReason.UNSEEN_FEATURE_WIDTH;
            case UNSCORABLE -> DeferralReason.UNSCORABLE;
            case OUT_OF_DISTRIBUTION -> DeferralReason.OUT_OF_DISTRIBUTION;
            case GATE_SCORE -> DeferralReason.GATE_SCORE;
        };
    }

    /**
     * The particulars of a deferral, worded as tracer route's reason_detail always was (Spark's
     * format_string with "%d" and "%.4f", Locale.US); null when handled.
     */
    public String detail(int row) {
        return switch (outcome[row]) {
            case HANDLED -> null;
            case NO_POLICY -> "no policy certified: " + noneReason;
            case UNSEEN_WIDTH -> "embedding width " + width[row] + "; the policy's models read " + dim;
            case UNSCORABLE -> unscorable[row];
            case OUT_OF_DISTRIBUTION -> "distance " + FixedPoint.fourDecimals(distance[row])
                    + " to the train centroid of the predicted label exceeds "
                    + FixedPoint.fourDecimals(distanceThreshold[row]);
            case GATE_SCORE -> "accept score " + FixedPoint.fourDecimals(score[row]) + " below threshold "
                    + thresholdText;
        };
    }

    public Decision decision(int row) {
        if (handled(row)) {
            return new Decision(true, label(row), score[row], stage[row], null, null);
        }
        return Decision.deferred(score(row), reason(row), detail(row));
    }

    // --- written by PolicyKernel -------------------------------------------------------------

    void start(int rows) {
        this.rows = rows;
        Arrays.fill(unscorable, 0, rows, null);
    }

    void noPolicy(int row) {
        outcome[row] = Outcome.NO_POLICY;
    }

    void unseenWidth(int row, int width) {
        outcome[row] = Outcome.UNSEEN_WIDTH;
        this.width[row] = width;
    }

    void unscorable(int row, String why) {
        outcome[row] = Outcome.UNSCORABLE;
        unscorable[row] = why;
    }

    /** The policy score, stage and label of a scored row; {@link #decide} or {@link #outOfDistribution} follows. */
    void scored(int row, double score, int stage, int labelIndex) {
        outcome[row] = Outcome.GATE_SCORE;
        this.score[row] = score;
        this.stage[row] = stage;
        this.label[row] = labelIndex;
    }

    boolean isUnscorable(int row) {
        return outcome[row] == Outcome.UNSCORABLE;
    }

    void outOfDistribution(int row, double distance, double threshold) {
        outcome[row] = Outcome.OUT_OF_DISTRIBUTION;
        this.distance[row] = distance;
        this.distanceThreshold[row] = threshold;
    }

    /** Handled when the score is at or above the certified threshold; NaN never is, as certification counted it. */
    void decide(int row) {
        outcome[row] = CascadeScore.accepts(score[row], threshold) ? Outcome.HANDLED : Outcome.GATE_SCORE;
    }
}
