package io.tracer.log;

import org.slf4j.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning once per cause: the first occurrence of a cause is logged at WARN, the later ones at
 * DEBUG, and every occurrence is counted. {@link #drainRepeats()} hands the counts of the repeats
 * (the DEBUG ones) since its last call to whoever reports them, e.g. a stage's summary line.
 *
 * <p>Causes are process-wide strings chosen by the caller ({@code "unscored:pipeline_score"}); a
 * new run calls {@link #reset()} so that its first occurrence of a cause is a WARN again.
 */
public final class WarnOnce {
    private static final ConcurrentMap<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, AtomicLong> REPEATS = new ConcurrentHashMap<>();

    private WarnOnce() {}

    /**
     * Logs {@code format} with {@code args} (slf4j style) at WARN if {@code cause} was not seen since
     * the last {@link #reset()}, else at DEBUG; counts it either way.
     *
     * @return true when this call logged at WARN
     */
    public static boolean warn(Logger log, String cause, String format, Object... args) {
        long n = SEEN.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
        if (n == 1) {
            log.warn(format + " (repeats of this warning go to DEBUG and are counted)", args);
            return true;
        }
        REPEATS.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug(format + " (repeat " + (n - 1) + ")", args);
        }
        return false;
    }

    /** Occurrences of {@code cause} since the last {@link #reset()}. */
    public static long count(String cause) {
        AtomicLong n = SEEN.get(cause);
        return n == null ? 0 : n.get();
    }

    /** Repeats (occurrences after the first) per cause since the last call, in cause order; clears them. */
    public static Map<String, Long> drainRepeats() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, AtomicLong> e : REPEATS.entrySet()) {
            long n = e.getValue().getAndSet(0);
            if (n > 0) {
                out.put(e.getKey(), n);
            }
        }
        return new LinkedHashMap<>(out);
    }

    /** Forgets every cause: the next occurrence of each is a WARN again. */
    public static void reset() {
        SEEN.clear();
        REPEATS.clear();
    }
}
