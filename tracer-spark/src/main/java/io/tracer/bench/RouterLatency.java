package io.tracer.bench;

import io.tracer.serve.Decision;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Per-query latency of the Spark-free router ({@code SparkFreeRouter.route(float[])}, or the same
 * call on a kernel, {@code PolicyKernel.route}) in the calling thread: a warmup
 * (so the JIT has compiled the scoring loops) then each query timed on its own with
 * {@link System#nanoTime()}. A plain loop, not JMH: this is the number the B4 command prints;
 * the JMH harness (RouterLatencyBench, test scope) is there to cross-check it.
 */
public final class RouterLatency {
    private RouterLatency() {}

    /**
     * @param p50Micros nearest-rank percentiles of the timed queries, in microseconds
     * @param handled   queries the router handled (the rest were deferred)
     * @param reasons   deferrals by reason code
     */
    public record Result(int queries, int warmup, double p50Micros, double p90Micros, double p99Micros,
                         double maxMicros, double meanMicros, int handled, Map<String, Integer> reasons) {

        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("router_queries", queries);
            m.put("router_warmup_queries", warmup);
            m.put("router_p50_micros", p50Micros);
            m.put("router_p90_micros", p90Micros);
            m.put("router_p99_micros", p99Micros);
            m.put("router_max_micros", maxMicros);
            m.put("router_mean_micros", meanMicros);
            m.put("router_handled_share", queries == 0 ? null : (double) handled / queries);
            m.put("router_deferred_by_reason", reasons);
            return m;
        }
    }

    /** Routes {@code warmup} queries untimed, then {@code queries} timed ones, cycling over {@code inputs}. */
    public static Result measure(Function<float[], Decision> router, float[][] inputs, int warmup, int queries) {
        if (inputs.length == 0 || queries < 1 || warmup < 0) {
            throw new IllegalArgumentException("need inputs and a positive query count, got " + inputs.length
                    + " inputs, " + queries + " queries, warmup " + warmup);
        }
        // Keeps the JIT from discarding the warmup calls as dead code.
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += router.apply(inputs[i % inputs.length]).stage();
        }
        long[] nanos = new long[queries];
        int handled = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (int i = 0; i < queries; i++) {
            float[] x = inputs[i % inputs.length];
            long t0 = System.nanoTime();
            Decision d = router.apply(x);
            nanos[i] = System.nanoTime() - t0;
            if (d.handled()) {
                handled++;
            } else {
                reasons.merge(d.reason(), 1, Integer::sum);
            }
            sink += d.stage();
        }
        if (sink == Integer.MIN_VALUE) {
            throw new IllegalStateException("unreachable: stage sum " + sink);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(nanos).average().orElse(Double.NaN) / 1e3;
        return new Result(queries, warmup, percentile(sorted, 0.50), percentile(sorted, 0.90),
                percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e3, mean, handled, reasons);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in microseconds. */
    static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3;
    }
}
