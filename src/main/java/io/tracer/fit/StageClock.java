package io.tracer.fit;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Times the stages of a job, logs them, and labels the Spark jobs of each stage. */
public final class StageClock {
    private static final Logger LOG = LoggerFactory.getLogger(StageClock.class);

    private final SparkSession spark;
    private final String runId;
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private String current;
    private long startedNanos;

    public StageClock(SparkSession spark, String runId) {
        this.spark = spark;
        this.runId = runId;
    }

    /** Runs {@code stage} on {@code input} as its own timed phase. */
    public <I, O> O run(FitStage<I, O> stage, I input) {
        start(stage.name(), stage.describe(input));
        try {
            return stage.run(input);
        } finally {
            stop();
        }
    }

    public void start(String phase, String description) {
        stop();
        current = phase;
        startedNanos = System.nanoTime();
        spark.sparkContext().setJobGroup("tracer:" + phase, "run " + runId + ": " + description, false);
        LOG.info("[{}] {}", phase, description);
    }

    public void stop() {
        if (current != null) {
            double s = (System.nanoTime() - startedNanos) / 1e9;
            seconds.merge(current, s, Double::sum);
            LOG.info("[{}] done in {} s", current, String.format("%.1f", s));
            current = null;
            spark.sparkContext().clearJobGroup();
        }
    }

    /** Seconds per stage, in the order the stages ran. */
    public Map<String, Double> seconds() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
    }

    public double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
