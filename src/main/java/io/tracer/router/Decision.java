package io.tracer.router;

/**
 * The routing decision for one input.
 *
 * @param handled true when the surrogate answers; false defers to the teacher
 * @param label   the surrogate's label when handled, else null
 * @param score   the policy's accept score (for RSB the cascade score); NaN when nothing was scored
 * @param stage   1 or 2 for the stage that handled the input, 0 when deferred
 * @param reason  why the input was deferred, null when handled
 */
public record Decision(boolean handled, String label, double score, int stage, String reason) {

    static Decision deferred(double score, String reason) {
        return new Decision(false, null, score, 0, reason);
    }
}
