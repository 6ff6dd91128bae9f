package io.tracer.bench;

import io.tracer.serve.BlockRouter;
import io.tracer.serve.EmbeddingBlock;
import io.tracer.serve.PolicyKernel;
import io.tracer.serve.RoutedBlock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows per second of the scoring kernel in one thread, two ways: batch mode as a service would
 * use it (copy each embedding into a block of {@code blockRows}, route, read every row's
 * decision), and the kernel alone (one block filled once from an in-memory matrix, routed again
 * and again: the arithmetic, nothing around it). Each after an untimed warm-up of the same work.
 */
final class KernelThroughput {
    private KernelThroughput() {}

    /**
     * @param rows rows routed in each timed part (and again untimed before it)
     */
    static Map<String, Object> measure(PolicyKernel kernel, float[][] inputs, int blockRows, long rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        BlockRouter router = kernel.newBlockRouter(blockRows);
        batch(router, inputs, rows);
        long t0 = System.nanoTime();
        long sink = batch(router, inputs, rows);
        double batchSeconds = (System.nanoTime() - t0) / 1e9;

        EmbeddingBlock block = router.input();
        block.clear();
        for (int i = 0; i < blockRows; i++) {
            block.add(inputs[i % inputs.length]);
        }
        long blocks = Math.max(1, rows / blockRows);
        for (long b = 0; b < blocks; b++) {
            sink += router.route().stage(0);
        }
        long t1 = System.nanoTime();
        for (long b = 0; b < blocks; b++) {
            sink += router.route().stage(0);
        }
        double kernelSeconds = (System.nanoTime() - t1) / 1e9;
        if (sink == Long.MIN_VALUE) {
            throw new IllegalStateException("unreachable: " + sink);
        }
        out.put("batch_block_rows", blockRows);
        out.put("batch_rows", rows);
        out.put("batch_rows_per_second", rows / batchSeconds);
        out.put("kernel_rows", blocks * blockRows);
        out.put("kernel_rows_per_second", blocks * blockRows / kernelSeconds);
        return out;
    }

    /** Routes {@code rows} rows cycling over {@code inputs}, reading every decision; returns a sum the JIT cannot drop. */
    private static long batch(BlockRouter router, float[][] inputs, long rows) {
        EmbeddingBlock block = router.input();
        long sink = 0;
        long done = 0;
        int next = 0;
        while (done < rows) {
            block.clear();
            while (!block.isFull() && done + block.rows() < rows) {
                block.add(inputs[next]);
                next = next + 1 == inputs.length ? 0 : next + 1;
            }
            RoutedBlock routed = router.route();
            for (int i = 0; i < routed.rows(); i++) {
                sink += routed.decision(i).stage();
            }
            done += routed.rows();
        }
        return sink;
    }
}
