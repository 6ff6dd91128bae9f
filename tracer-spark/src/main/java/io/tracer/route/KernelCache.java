package io.tracer.route;

import io.tracer.serve.PolicyKernel;
import io.tracer.serve.PortablePolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernels this JVM has built, by snapshot id, so an executor parses a broadcast policy once
 * however many partitions it routes (and, in local mode, reuses the driver's). A few are kept,
 * the least recently used dropped: a JVM routes with one or two policies at a time.
 */
final class KernelCache {
    private static final int KEPT = 4;
    private static final Map<String, PolicyKernel> KERNELS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PolicyKernel> eldest) {
            return size() > KEPT;
        }
    };

    private KernelCache() {}

    static synchronized PolicyKernel get(PortablePolicy policy) {
        return KERNELS.computeIfAbsent(policy.id(), id -> PolicyKernel.build(policy));
    }
}
