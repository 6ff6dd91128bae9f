package io.tracer.cli;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The settings a tracer session gets before it is built (no session is started here). */
class SparkSessionsTest {
    private static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";

    private static String snapshotPartitions(String master, int shufflePartitions) {
        SparkConf conf = new SparkConf(false).setMaster(master);
        SparkSessions.builder(conf, shufflePartitions);
        return conf.get(SNAPSHOT_PARTITIONS);
    }

    @Test
    void deltaReplaysATableLogInFewTasksLocallyAndInAtMostShufflePartitionsOnACluster() {
        assertEquals("2", snapshotPartitions("local[2]", 8));
        assertEquals("2", snapshotPartitions("local[*]", 64));
        assertEquals("8", snapshotPartitions("spark://127.0.0.1:7077", 8));
        assertEquals("50", snapshotPartitions("yarn", 64), "never more than Delta's own default");
    }

    @Test
    void aValueTheUserSetIsKept() {
        SparkConf conf = new SparkConf(false).setMaster("yarn").set(SNAPSHOT_PARTITIONS, "200");
        SparkSessions.builder(conf, 8);
        assertEquals("200", conf.get(SNAPSHOT_PARTITIONS));
        assertEquals("8", conf.get("spark.sql.shuffle.partitions"));
    }
}
