package io.tracer.cli;

import io.tracer.config.TracerConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the only SparkSession of a command-line run. No master is hard-coded: spark-submit
 * or the platform sets it; a plain local launch falls back to tracer.spark.default-master.
 */
public final class SparkSessions {
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
        if (conf.get("spark.master", "").startsWith("local")) {
            // Delta rebuilds table state with 50 partitions by default: on one machine that is
            // 50 tiny tasks per metric-table commit. The tables here are small.
            conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "2");
        }
        return SparkSession.builder().config(conf);
    }
}
