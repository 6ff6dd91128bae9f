package io.tracer.embed;

import io.tracer.log.Progress;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Runs in the executors: turns (text_hash, text) rows into (text_hash, embedding) rows,
 * {@code batchSize} texts per encoder call, pulling input lazily so a partition never holds
 * more than one batch. Logs progress (rows done, rows/s) every {@code logEvery} rows, with the
 * share done and an estimate of the time left when the partition's size is known (the driver
 * deals the rows round-robin, so each partition gets about {@code expectedRows}).
 */
final class EncodePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EncodePartition.class);

    private final BuiltInEncoder encoder;
    private final int batchSize;
    private final int logEvery;
    private final long expectedRows;

    /** @param expectedRows about how many rows a partition gets; 0 when unknown */
    EncodePartition(BuiltInEncoder encoder, int batchSize, int logEvery, long expectedRows) {
        this.encoder = encoder;
        this.batchSize = batchSize;
        this.logEvery = logEvery;
        this.expectedRows = expectedRows;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        TaskContext task = TaskContext.get();
        int partition = task == null ? -1 : task.partitionId();
        return new Iterator<>() {
            private final long start = System.nanoTime();
            private List<Row> out = List.of();
            private int next;
            private long done;
            private long nextLog = logEvery;
            private boolean finished;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                if (!input.hasNext()) {
                    if (!finished && done > 0) {
                        // debug: tasks are small (Embedder.TEXTS_PER_TASK), and the driver logs the progress
                        LOG.debug("embedding partition {}: finished {} rows at {} rows/s", partition, done, rate());
                    }
                    finished = true;
                    return false;
                }
                fill();
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }

            private void fill() {
                List<String> hashes = new ArrayList<>(batchSize);
                List<String> texts = new ArrayList<>(batchSize);
                while (input.hasNext() && texts.size() < batchSize) {
                    Row r = input.next();
                    hashes.add(r.getString(0));
                    texts.add(r.getString(1));
                }
                float[][] vectors = encoder.embed(texts);
                List<Row> rows = new ArrayList<>(texts.size());
                for (int i = 0; i < vectors.length; i++) {
                    rows.add(RowFactory.create(hashes.get(i), vectors[i]));
                }
                out = rows;
                next = 0;
                done += rows.size();
                if (done >= nextLog) {
                    LOG.info("embedding partition {}: {}", partition, progress(done, expectedRows, seconds()));
                    nextLog += logEvery;
                }
            }

            private long rate() {
                double secs = seconds();
                return secs <= 0 ? 0 : Math.round(done / secs);
            }

            private double seconds() {
                return (System.nanoTime() - start) / 1e9;
            }
        };
    }

    /** "2,000 of ~2,501 rows (80%), 223 rows/s, about 2 s left", or "2,000 rows done, 223 rows/s". */
    static String progress(long done, long expected, double seconds) {
        long rate = seconds <= 0 ? 0 : Math.round(done / seconds);
        if (expected <= 0 || done >= expected) {
            return String.format(Locale.ROOT, "%,d rows done, %,d rows/s", done, rate);
        }
        double left = rate == 0 ? 0 : (expected - done) / (double) rate;
        return String.format(Locale.ROOT, "%,d of ~%,d rows (%d%%), %,d rows/s, about %s left", done, expected,
                Math.round(100.0 * done / expected), rate, Progress.duration(left));
    }
}
