package io.tracer.bench;

import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessPeaksTest {

    @Test
    void theLiveHeapAtAStageEndLeavesOutSparksBlockCache() {
        SparkSession spark = SparkTestSession.get();
        try (ProcessPeaks peaks = ProcessPeaks.start()) {
            peaks.liveHeapAtStageEnds().stageEnded("before");
            // random doubles: the columnar cache cannot compress them below 8 bytes a value (6.4 MB)
            Dataset<Row> cached = spark.range(200_000).select(rand(1).as("a"), rand(2).as("b"), rand(3).as("c"),
                    rand(4).as("d")).persist(StorageLevel.MEMORY_ONLY());
            try {
                assertEquals(200_000, cached.count());
                peaks.liveHeapAtStageEnds().stageEnded("cached");
                ProcessPeaks.StageHeap after = peaks.stageHeaps().get(1);
                assertEquals("cached", after.stage());
                // What Spark says its cached RDDs hold in memory right now (ours among them; other
                // tests' blocks may be cleaned meanwhile, which only lowers this sum).
                long inMemory = java.util.Arrays.stream(spark.sparkContext().getRDDStorageInfo())
                        .mapToLong(info -> info.memSize()).sum();
                assertTrue(inMemory > 4_000_000, "our 6.4 MB of random doubles are cached: " + inMemory);
                // the observer counts those blocks as Spark's storage memory, not as driver heap
                assertTrue(after.blockCacheBytes() >= inMemory,
                        "block cache " + after.blockCacheBytes() + " < cached RDDs " + inMemory);
                assertEquals(Math.max(0, after.heapBytes() - after.blockCacheBytes()), after.liveBytes());
                assertTrue(after.heapBytes() >= after.blockCacheBytes());
                assertTrue(peaks.forcedGcSeconds() > 0);
                assertTrue(peaks.peakLiveHeapMb() > 0);
            } finally {
                cached.unpersist(true);
            }
        }
    }
}
