package io.tracer.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.tracer.fit.StageObserver;
import org.apache.spark.SparkEnv;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory peaks of this JVM while something runs: the most heap still in use right after a
 * garbage collection (what the program kept alive, not what it had yet to collect) and the
 * process's peak resident set size (what the machine had to give it: heap, native memory,
 * XGBoost's and Spark's off-heap buffers). Listens to every collector's notifications from
 * {@link #start} until {@link #close}.
 *
 * <p>The heap after an ordinary collection overstates what a run keeps: a young collection leaves
 * dead old objects in place, and in local mode the driver shares its JVM with the executor, whose
 * block cache (the persisted trace cuts, which Spark spills to disk when its share is full) is
 * row-sized by design. {@link #liveHeapAtStageEnds} measures the driver's own part: at each stage
 * end, a full collection, then the heap in use less Spark's on-heap storage memory.
 */
public final class ProcessPeaks implements AutoCloseable {
    private final AtomicLong peakHeapAfterGc = new AtomicLong();
    private final Map<String, StageHeap> stageHeaps = new LinkedHashMap<>();
    private long forcedGcNanos;
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private final Set<String> heapPools = new HashSet<>();

    private ProcessPeaks() {}

    public static ProcessPeaks start() {
        ProcessPeaks p = new ProcessPeaks();
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(b -> b.getType() == MemoryType.HEAP)
                .forEach(b -> p.heapPools.add(b.getName()));
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (p.heapPools.contains(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                p.peakHeapAfterGc.accumulateAndGet(used, Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                p.unsubscribe.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
        return p;
    }

    /** Heap in use after a full collection at a stage's end, and how much of it was Spark's block cache. */
    public record StageHeap(String stage, long heapBytes, long blockCacheBytes) {
        public long liveBytes() {
            return Math.max(0, heapBytes - blockCacheBytes);
        }
    }

    /**
     * An observer for {@link io.tracer.fit.FitRun} that, at each stage end, runs a full collection
     * ({@link System#gc}) and records the heap in use and Spark's on-heap storage memory (cached
     * blocks and broadcasts). The collections' time is kept apart ({@link #forcedGcSeconds}).
     */
    public StageObserver liveHeapAtStageEnds() {
        return stage -> {
            long t0 = System.nanoTime();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            SparkEnv env = SparkEnv.get();
            long cache = env == null ? 0 : env.memoryManager().onHeapStorageMemoryUsed();
            synchronized (stageHeaps) {
                // a stage that runs twice (an update's two loads) keeps its larger reading
                stageHeaps.merge(stage, new StageHeap(stage, heap, cache),
                        (a, b) -> a.liveBytes() >= b.liveBytes() ? a : b);
                forcedGcNanos += System.nanoTime() - t0;
            }
        };
    }

    /** Per stage, in the order they ended: heap after a full collection and Spark's block cache. */
    public List<StageHeap> stageHeaps() {
        synchronized (stageHeaps) {
            return List.copyOf(stageHeaps.values());
        }
    }

    /** The most driver heap (heap after a full collection less the block cache) at any stage end, in MB. */
    public double peakLiveHeapMb() {
        return stageHeaps().stream().mapToLong(StageHeap::liveBytes).max().orElse(0) / (1024.0 * 1024.0);
    }

    /** Seconds spent in the collections {@link #liveHeapAtStageEnds} forced. */
    public double forcedGcSeconds() {
        synchronized (stageHeaps) {
            return forcedGcNanos / 1e9;
        }
    }

    /** The most heap in use right after a collection, in MB, so far. */
    public double peakHeapAfterGcMb() {
        return peakHeapAfterGc.get() / (1024.0 * 1024.0);
    }

    /**
     * The process's peak resident set size in MB so far (Linux's VmHWM), or NaN where
     * /proc/self/status does not exist.
     */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        unsubscribe.forEach(Runnable::run);
        unsubscribe.clear();
    }
}
