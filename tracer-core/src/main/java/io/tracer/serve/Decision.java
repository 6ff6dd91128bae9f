package io.tracer.serve;

import io.tracer.policy.DeferralReason;

/**
 * The routing decision for one input; the fields of a routed row of {@code tracer route}.
 *
 * @param handled true when the surrogate answers; false defers to the teacher
 * @param label   the surrogate's label when handled, else null
 * @param score   the policy's accept score (for RSB the cascade score); NaN when nothing was scored
 *                (Spark's null)
 * @param stage   1 or 2 for the stage that handled the input, 0 when deferred
 * @param reason  why the input was deferred, a reason code of {@link DeferralReason} (or
 *                {@link #UNSCORABLE}); null when handled
 * @param detail  the particulars of the deferral, worded as {@code tracer route}'s reason_detail;
 *                null when handled
 */
public record Decision(boolean handled, String label, double score, int stage, String reason, String detail) {

    /**
     * Reason: a row the fit's Spark scoring would have scored along a path the kernel does not
     * reproduce (see {@link BoostedGate}); deferring it is always safe.
     */
    public static final String UNSCORABLE = DeferralReason.UNSCORABLE;

    static Decision deferred(double score, String reason, String detail) {
        return new Decision(false, null, score, 0, reason, detail);
    }
}
