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
                ProcessPeaks.StageHeap before = peaks.stageHeaps().get(0);
                ProcessPeaks.StageHeap after = peaks.stageHeaps().get(1);
                assertEquals("cached", after.stage());
                // the cached partitions are Spark's storage memory, and the observer counts them as such
                assertTrue(after.blockCacheBytes() > before.blockCacheBytes() + 4_000_000,
                        "block cache " + before.blockCacheBytes() + " -> " + after.blockCacheBytes());
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
