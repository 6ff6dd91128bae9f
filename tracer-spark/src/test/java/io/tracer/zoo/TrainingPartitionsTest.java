package io.tracer.zoo;

import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPartitionsTest {

    @Test
    void smallTablesGetAtMostOnePartitionPerCoreAndLargeOnesBoundedPartitions() {
        assertEquals(1, TrainingPartitions.target(0, 2));
        assertEquals(1, TrainingPartitions.target(585, 2));
        assertEquals(1, TrainingPartitions.target(2_000, 8));
        assertEquals(2, TrainingPartitions.target(2_001, 8));
        assertEquals(2, TrainingPartitions.target(6_004, 2));
        assertEquals(8, TrainingPartitions.target(500_000, 8));
        assertEquals(10, TrainingPartitions.target(1_000_000, 8));
        assertEquals(100, TrainingPartitions.target(10_000_000, 2));
        assertEquals(100, TrainingPartitions.target(10_000_000, 100));
        assertEquals(200, TrainingPartitions.target(10_000_000, 200));
    }

    @Test
    void persistPacksManySmallPartitionsAndKeepsEveryRow() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> scattered = spark.range(0, 1_500).toDF("id").repartition(24);
        TrainingPartitions.Sized packed = TrainingPartitions.persist(scattered, "test");
        try {
            assertEquals(1_500, packed.count());
            assertEquals(1, packed.rows().rdd().getNumPartitions());
            assertEquals(1_500, packed.rows().distinct().count());
            assertEquals(1_500L * 1_499 / 2, packed.rows().agg(org.apache.spark.sql.functions.sum("id")).first().getLong(0));
        } finally {
            packed.rows().unpersist();
        }
    }

    /**
     * A small table is packed from a copy without its lineage (what every task of an iterative
     * fit deserializes): every row, in the table's order.
     */
    @Test
    void aSmallTableIsPackedWithoutItsLineageIntoTheSamePartitions() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> shuffled = spark.range(0, 3_000).toDF("id").repartition(6).sortWithinPartitions("id");
        TrainingPartitions.Sized packed = TrainingPartitions.persist(shuffled, "test");
        try {
            assertEquals(3_000, packed.count());
            String lineage = packed.rows().rdd().toDebugString();
            assertFalse(lineage.contains("ShuffledRowRDD"), lineage);
            // every row, in the table's order, in consecutive runs of its partitions
            assertEquals(2, packed.rows().rdd().getNumPartitions());
            assertEquals(shuffled.collectAsList(), packed.rows().collectAsList());
        } finally {
            packed.rows().unpersist();
        }
        // 3,000 one-column rows over a bound of 2,999 numbers keep their lineage
        TrainingPartitions.Sized kept = TrainingPartitions.persist(shuffled, "test", 2_999);
        try {
            assertTrue(kept.rows().rdd().toDebugString().contains("ShuffledRowRDD"), "a table over the bound keeps its lineage");
        } finally {
            kept.rows().unpersist();
        }
    }
}
