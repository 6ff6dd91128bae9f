package io.tracer.log;

/**
 * When a progress line is due: at least {@code everyNanos} after the previous line (or the
 * start), and at least a tenth of the time elapsed so far, so a long loop logs about ten lines
 * per tenfold of its duration rather than one per interval. Not thread-safe; callers synchronise.
 */
final class Pacing {
    private final long everyNanos;
    private final long startNanos;
    private long lastNanos;

    Pacing(double everySeconds, long startNanos) {
        this.everyNanos = (long) (everySeconds * 1e9);
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    /** True (and the line counted as logged) when a line is due at {@code nowNanos}. */
    boolean due(long nowNanos) {
        long gap = Math.max(everyNanos, (nowNanos - startNanos) / 10);
        if (nowNanos - lastNanos >= gap) {
            lastNanos = nowNanos;
            return true;
        }
        return false;
    }

    double seconds(long nowNanos) {
        return Math.max(1e-9, (nowNanos - startNanos) / 1e9);
    }
}
