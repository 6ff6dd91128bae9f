package io.tracer.fit;

import io.tracer.log.WarnOnce;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Times the phases of a job, labels the Spark jobs of each phase, and logs one line per phase
 * when it ends: {@code [zoo] 5,999 rows, 51.5 s: cross-validate the surrogate zoo ...}, with the
 * rows where the phase said them ({@link #rows}) and the warnings it repeated ({@link WarnOnce}).
 * The start is logged at DEBUG. A clock is one run: it resets {@link WarnOnce}.
 */
public final class StageClock {
    private static final Logger LOG = LoggerFactory.getLogger(StageClock.class);

    private final SparkSession spark;
    private final String runId;
    private final StageObserver observer;
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private String current;
    private String description;
    private long rows = -1;
    private long startedNanos;

    public StageClock(SparkSession spark, String runId) {
        this(spark, runId, StageObserver.NONE);
    }

    /** @param observer told as each phase ends, after its seconds are taken */
    public StageClock(SparkSession spark, String runId, StageObserver observer) {
        this.spark = spark;
        this.runId = runId;
        this.observer = observer;
        WarnOnce.reset();
    }

    /**
     * Runs {@code stage} on {@code input} as its own timed phase; its line carries the rows the
     * stage reports ({@link FitStage#rows}).
     */
    public <I, O> O run(FitStage<I, O> stage, I input) {
        start(stage.name(), stage.describe(input));
        O output;
        try {
            output = stage.run(input);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
        rows(stage.rows(input, output));
        stop();
        return output;
    }

    public void start(String phase, String description) {
        stop();
        current = phase;
        this.description = description;
        rows = -1;
        startedNanos = System.nanoTime();
        spark.sparkContext().setJobGroup("tracer:" + phase, "run " + runId + ": " + description, false);
        LOG.debug("[{}] {}", phase, description);
    }

    /** The rows the current phase works on, for its line. */
    public void rows(long rows) {
        this.rows = rows;
    }

    public void stop() {
        if (current != null) {
            double s = (System.nanoTime() - startedNanos) / 1e9;
            seconds.merge(current, s, Double::sum);
            LOG.info("{}", line(current, description, rows, s, WarnOnce.drainRepeats()));
            String ended = current;
            current = null;
            spark.sparkContext().clearJobGroup();
            observer.stageEnded(ended);
        }
    }

    /** {@code [phase] 5,999 rows, 51.5 s: description; repeated warnings: 7 x cause}. */
    static String line(String phase, String description, long rows, double seconds, Map<String, Long> repeats) {
        StringBuilder b = new StringBuilder("[").append(phase).append("] ");
        if (rows >= 0) {
            b.append(String.format(Locale.ROOT, "%,d rows, ", rows));
        }
        b.append(String.format(Locale.ROOT, "%.1f s: ", seconds)).append(description);
        if (!repeats.isEmpty()) {
            b.append("; repeated warnings (at DEBUG): ");
            repeats.forEach((cause, n) -> b.append(n).append(" x ").append(cause).append(", "));
            b.setLength(b.length() - 2);
        }
        return b.toString();
    }

    /** Seconds per stage, in the order the stages ran. */
    public Map<String, Double> seconds() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
    }

    public double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
