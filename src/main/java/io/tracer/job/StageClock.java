package io.tracer.job;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Times the phases of a job, logs them, and labels the Spark jobs of each phase. */
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

    public Map<String, Double> seconds() {
        return Map.copyOf(seconds);
    }

    public double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
