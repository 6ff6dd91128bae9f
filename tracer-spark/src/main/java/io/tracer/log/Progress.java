package io.tracer.log;

import org.slf4j.Logger;

import java.util.Locale;

/**
 * Progress of a loop with a known amount of work:
 * {@code "zoo: 6/15 fold fits (40%), 35,994 rows in 24 s (1,500 rows/s), about 36 s left"}. Units
 * are what the estimate counts (fits, batches); rows are what the rate counts. A line is logged
 * at INFO at most every {@code everySeconds}, and less often as the loop gets long (see
 * {@link Pacing}); none once the work is done, since the caller reports the end. Thread-safe.
 */
public final class Progress {
    private final Logger log;
    private final String what;
    private final long totalUnits;
    private final String unit;
    private final Pacing pacing;
    private long estimateAfter = 1;
    private long units;
    private long rows;

    /**
     * @param what         the line's prefix, e.g. "zoo"
     * @param totalUnits   the work to do, in {@code unit}s
     * @param unit         plural noun of a unit, e.g. "fold fits"
     * @param everySeconds at most one line per this many seconds
     */
    public Progress(Logger log, String what, long totalUnits, String unit, double everySeconds) {
        this(log, what, totalUnits, unit, everySeconds, System.nanoTime());
    }

    Progress(Logger log, String what, long totalUnits, String unit, double everySeconds, long startNanos) {
        this.log = log;
        this.what = what;
        this.totalUnits = totalUnits;
        this.unit = unit;
        this.pacing = new Pacing(everySeconds, startNanos);
    }

    /**
     * Gives the estimate only once {@code units} are done: when that many run at once, the first
     * to finish says little about the rest (default 1).
     */
    public Progress estimateAfter(long units) {
        this.estimateAfter = Math.max(1, units);
        return this;
    }

    /** Records {@code units} more done, covering {@code rows} rows; logs a line when one is due. */
    public void advance(long units, long rows) {
        advance(units, rows, System.nanoTime());
    }

    synchronized void advance(long moreUnits, long moreRows, long nowNanos) {
        units += moreUnits;
        rows += moreRows;
        if (units < totalUnits && pacing.due(nowNanos)) {
            log.info("{}", line(nowNanos));
        }
    }

    /** The progress line as of {@code nowNanos}. */
    synchronized String line(long nowNanos) {
        double seconds = pacing.seconds(nowNanos);
        StringBuilder b = new StringBuilder(what).append(": ").append(units).append('/').append(totalUnits)
                .append(' ').append(unit);
        if (totalUnits > 0) {
            b.append(String.format(Locale.ROOT, " (%d%%)", Math.round(100.0 * units / totalUnits)));
        }
        b.append(rate(rows, seconds));
        if (units >= estimateAfter && units < totalUnits) {
            b.append(", about ").append(duration(seconds / units * (totalUnits - units))).append(" left");
        }
        return b.toString();
    }

    /** ", 35,994 rows in 24 s (1,500 rows/s)", or " in 24 s" without rows. */
    static String rate(long rows, double seconds) {
        if (rows <= 0) {
            return String.format(Locale.ROOT, " in %.0f s", seconds);
        }
        return String.format(Locale.ROOT, ", %,d rows in %.0f s (%,d rows/s)", rows, seconds,
                Math.round(rows / seconds));
    }

    /** "45 s", "3 min 20 s", "1 h 05 min". */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + " min";
    }
}
