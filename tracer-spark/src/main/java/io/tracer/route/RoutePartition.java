package io.tracer.route;

import io.tracer.embed.BuiltInEncoder;
import io.tracer.policy.DeferralReason;
import io.tracer.serve.BlockRouter;
import io.tracer.serve.EmbeddingBlock;
import io.tracer.serve.PolicyKernel;
import io.tracer.serve.PortablePolicy;
import io.tracer.serve.RoutedBlock;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Routes one partition with the policy's kernel: rows are taken {@code blockRows} at a time,
 * their vectors go into one block, the kernel decides the block, and each input row comes out
 * (its {@link PassThrough} columns) followed by its route columns ({@link BatchRouter#ROUTE_FIELDS}).
 * When the rows have text and no vectors, the block's texts are encoded first, {@code encodeBatch}
 * per encoder call, and the vectors may come out too (before the route columns).
 */
final class RoutePartition implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RoutePartition.class);
    private static final UTF8String HANDLED = UTF8String.fromString(RouteColumns.HANDLED);
    private static final UTF8String DEFERRED = UTF8String.fromString(RouteColumns.DEFERRED);
    private static final Map<String, UTF8String> REASONS = Map.of(
            DeferralReason.NO_POLICY, UTF8String.fromString(DeferralReason.NO_POLICY),
            DeferralReason.UNSEEN_FEATURE_WIDTH, UTF8String.fromString(DeferralReason.UNSEEN_FEATURE_WIDTH),
            DeferralReason.UNSCORABLE, UTF8String.fromString(DeferralReason.UNSCORABLE),
            DeferralReason.OUT_OF_DISTRIBUTION, UTF8String.fromString(DeferralReason.OUT_OF_DISTRIBUTION),
            DeferralReason.GATE_SCORE, UTF8String.fromString(DeferralReason.GATE_SCORE));

    private final Broadcast<PortablePolicy> policy;
    private final VectorColumn vectors;
    private final PassThrough passThrough;
    private final boolean readVectors;
    private final boolean outputVectors;
    private final int blockRows;
    private final BuiltInEncoder encoder;
    private final int encodeBatch;

    /**
     * @param passThrough   the input columns that come out
     * @param readVectors   false when the policy decides without them (method none): nothing is read or encoded
     * @param outputVectors when encoding text, whether the vectors come out (before the route columns)
     * @param encoder       the encoder of the texts, the one the policy's models read; null when the
     *                      rows carry vectors
     */
    RoutePartition(Broadcast<PortablePolicy> policy, VectorColumn vectors, PassThrough passThrough,
                   boolean readVectors, boolean outputVectors, int blockRows, BuiltInEncoder encoder,
                   int encodeBatch) {
        this.policy = policy;
        this.vectors = vectors;
        this.passThrough = passThrough;
        this.readVectors = readVectors;
        this.outputVectors = outputVectors;
        this.blockRows = blockRows;
        this.encoder = encoder;
        this.encodeBatch = encodeBatch;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> input) {
        PolicyKernel kernel = KernelCache.get(policy.value());
        return new Routed(kernel.newBlockRouter(blockRows), input);
    }

    /** Pulls one block of input at a time, so a partition never holds more than one block. */
    private final class Routed implements Iterator<InternalRow> {
        private final BlockRouter router;
        private final Iterator<InternalRow> input;
        private final Object[] held;
        private final UTF8String[] labels;
        private final boolean text = vectors.kind() == VectorColumn.Kind.TEXT;
        private float[][] encoded;
        private RoutedBlock routed;
        private int count;
        private int next;
        private long encodedTexts;
        private long encodeNanos;

        Routed(BlockRouter router, Iterator<InternalRow> input) {
            this.router = router;
            this.input = input;
            this.held = new Object[blockRows];
            List<String> names = policy.value().labels();
            this.labels = names.stream().map(UTF8String::fromString).toArray(UTF8String[]::new);
        }

        @Override
        public boolean hasNext() {
            if (next < count) {
                return true;
            }
            if (!input.hasNext()) {
                logEncoding();
                return false;
            }
            fill();
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = next++;
            Object kept = held[i];
            held[i] = null;
            return passThrough.output(kept, routeColumns(i));
        }

        private void fill() {
            EmbeddingBlock block = router.input();
            block.clear();
            count = 0;
            next = 0;
            List<String> texts = text && readVectors ? new ArrayList<>(blockRows) : null;
            while (count < blockRows && input.hasNext()) {
                // The scan reuses its row objects: what outlives this call is copied now.
                InternalRow row = input.next();
                held[count++] = passThrough.hold(row);
                if (!readVectors) {
                    block.addUnreadable(-1);
                } else if (text) {
                    texts.add(vectors.text(row));
                } else {
                    vectors.read(row, block);
                }
            }
            if (texts != null) {
                encoded = encode(texts);
                for (float[] e : encoded) {
                    block.add(e);
                }
            }
            routed = router.route();
        }

        /** The texts' vectors in order, a missing text has none. */
        private float[][] encode(List<String> texts) {
            long t0 = System.nanoTime();
            float[][] out = new float[texts.size()][];
            for (int from = 0; from < texts.size(); from += encodeBatch) {
                List<Integer> at = new ArrayList<>();
                List<String> batch = new ArrayList<>();
                for (int i = from; i < Math.min(texts.size(), from + encodeBatch); i++) {
                    if (texts.get(i) != null) {
                        at.add(i);
                        batch.add(texts.get(i));
                    }
                }
                float[][] v = encoder.embed(batch);
                for (int j = 0; j < v.length; j++) {
                    out[at.get(j)] = v[j];
                }
                encodedTexts += batch.size();
            }
            encodeNanos += System.nanoTime() - t0;
            return out;
        }

        /** The encoded vector when it comes out, then the route columns. */
        private Object[] routeColumns(int i) {
            int extra = text && outputVectors ? 1 : 0;
            Object[] v = new Object[BatchRouter.ROUTE_FIELDS.length + extra];
            if (extra == 1) {
                v[0] = encoded == null || encoded[i] == null ? null : UnsafeArrayData.fromPrimitiveArray(encoded[i]);
            }
            boolean handled = routed.handled(i);
            v[extra] = routed.scored(i) ? routed.score(i) : null;
            v[extra + 1] = handled ? HANDLED : DEFERRED;
            v[extra + 2] = routed.stage(i);
            v[extra + 3] = handled ? labels[routed.labelIndex(i)] : null;
            v[extra + 4] = handled ? null : REASONS.get(routed.reason(i));
            v[extra + 5] = handled ? null : UTF8String.fromString(routed.detail(i));
            return v;
        }

        private void logEncoding() {
            if (encodedTexts > 0) {
                double seconds = encodeNanos / 1e9;
                TaskContext task = TaskContext.get();
                LOG.info("route partition {}: encoded {} texts in {} s ({} texts/s)",
                        task == null ? -1 : task.partitionId(), encodedTexts, String.format("%.1f", seconds),
                        Math.round(encodedTexts / seconds));
                encodedTexts = 0;
            }
        }
    }
}
