package io.tracer.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory peaks of this JVM while something runs: the most heap still in use right after a
 * garbage collection (what the program kept alive, not what it had yet to collect) and the
 * process's peak resident set size (what the machine had to give it: heap, native memory,
 * XGBoost's and Spark's off-heap buffers). Listens to every collector's notifications from
 * {@link #start} until {@link #stop}.
 */
public final class ProcessPeaks implements AutoCloseable {
    private final AtomicLong peakHeapAfterGc = new AtomicLong();
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
