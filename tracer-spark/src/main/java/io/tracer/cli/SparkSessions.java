package io.tracer.cli;

import io.tracer.config.TracerConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the only SparkSession of a command-line run. No master is hard-coded: spark-submit
 * or the platform sets it; a plain local launch falls back to tracer.spark.default-master.
 */
public final class SparkSessions {
    /** Delta's own default for spark.databricks.delta.snapshotPartitions. */
    static final int DELTA_DEFAULT_SNAPSHOT_PARTITIONS = 50;

    private SparkSessions() {}

    public static SparkSession create(String appName, TracerConfig config) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.spark().defaultMaster());
        }
        return builder(conf, config.spark().shufflePartitions()).getOrCreate();
    }

    /** The settings every tracer session needs: Delta's extension and catalog. */
    public static SparkSession.Builder builder(SparkConf conf, int shufflePartitions) {
        conf.setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        conf.setIfMissing("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions));
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // Delta rebuilds a table's state (its log replay) with 50 shuffle partitions by default:
        // 50 tiny tasks for every table a run opens, each a few KB of log. On one machine that
        // adds seconds to every table a small run touches; on a cluster each task costs a
        // scheduling round trip (0.15-0.3 s on a standalone cluster of one-core executors, so
        // 5-10 s per table).
        // Delta checkpoints a table every 10 commits, so a replay reads one checkpoint and a few
        // commit files: shuffle-partitions tasks (at most Delta's 50) are plenty for it.
        conf.setIfMissing("spark.databricks.delta.snapshotPartitions",
                Integer.toString(conf.get("spark.master", "").startsWith("local")
                        ? 2 : Math.min(DELTA_DEFAULT_SNAPSHOT_PARTITIONS, shufflePartitions)));
        return SparkSession.builder().config(conf);
    }
}
