package io.tracer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Persists a stage's output behind a short logical plan, and re-creates small row sets under a
 * short RDD lineage ({@link #detached}).
 *
 * <p>Every Spark action renders its query's plans as text for the SQL listener, and a fit stacks
 * stage upon stage (load, validation windows, split windows, surrogate, gates, cascade): the plan
 * of a late stage held the whole job's expressions, and rendering it took minutes of driver time
 * per action (an RSB second stage on 9,977 synthetic rows spent 4 of its 5 minutes there). Rows
 * re-read through their RDD start a fresh plan whose leaf is that RDD; the RDD keeps its full
 * lineage, so lost cache blocks are still recomputed.
 */
public final class Lineage {
    private Lineage() {}

    /** {@code rows} persisted (MEMORY_AND_DISK, lazily) under a one-node plan; same schema and metadata. */
    public static Dataset<Row> persistCut(Dataset<Row> rows) {
        return rows.sparkSession().createDataFrame(rows.javaRDD(), rows.schema())
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Rows from {@link #detached}, and how to release the executors' copies of the broadcast. */
    public record Detached(Dataset<Row> rows, Runnable release) {}

    /**
     * {@code rows} ({@code count} of them) re-created from one broadcast copy of their partitions
     * when they hold at most {@code maxValues} numbers (a vector or array counts its length, any
     * other column one): the same rows in the same partitions and order, under a plan and an RDD
     * lineage of one step. Larger sets come back as they are, with nothing to release.
     *
     * <p>Why: each task of a Spark job deserializes its RDD's whole lineage, the closures in it
     * included, and an iterative MLlib fit runs one job per iteration. A fit's training rows carry
     * the fit so far in their lineage (load, validation and split plans; for rows derived from
     * predictions, the models that made them: an RSB second stage's rows hold the first
     * surrogate's fold models and the first gate, 1.1-1.5 MB per task on Banking77). On B1 the
     * tasks of the zoo stage spent 14-15 s deserializing, and those of the rsb stage 15-17 s,
     * more than their 10-13 s of arithmetic; with detached copies, 6-7 s and 5 s.
     *
     * <p>The rows are collected to the driver, which keeps them (and the broadcast) while the
     * returned rows are in use; {@link Detached#release} drops the executors' copies once the
     * caller has persisted or fitted on them, and a lost partition is still rebuilt from the
     * driver's copy, so an executor can be lost.
     */
    public static Detached detached(Dataset<Row> rows, long count, long maxValues) {
        if (count > maxValues || count * valuesPerRow(rows) > maxValues) {
            return new Detached(rows, () -> { });
        }
        List<List<Row>> parts = new ArrayList<>();
        for (List<Row> part : rows.javaRDD().glom().collect()) {
            parts.add(new ArrayList<>(part));
        }
        if (parts.isEmpty()) {
            parts.add(new ArrayList<>()); // rows of no partition: a copy of one empty partition
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<List<List<Row>>> copy = jsc.broadcast(parts);
        List<Integer> ids = IntStream.range(0, parts.size()).boxed().toList();
        // partition i of the copy is partition i of the rows, whatever parallelize slices
        JavaRDD<Row> rdd = jsc.parallelize(ids, parts.size())
                .mapPartitionsWithIndex((i, ignored) -> copy.value().get(i).iterator(), false);
        return new Detached(rows.sparkSession().createDataFrame(rdd, rows.schema()), () -> copy.unpersist(false));
    }

    /** Numbers in one row: a vector or array column its length (read from the first row), others 1. */
    static long valuesPerRow(Dataset<Row> rows) {
        List<Row> first = rows.limit(1).collectAsList();
        if (first.isEmpty()) {
            return 1;
        }
        Row r = first.get(0);
        long values = 0;
        for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            if (v instanceof org.apache.spark.ml.linalg.Vector vec) {
                values += vec.size();
            } else if (v instanceof scala.collection.Seq<?> seq) {
                values += seq.size();
            } else if (v instanceof List<?> list) {
                values += list.size();
            } else {
                values += 1;
            }
        }
        return Math.max(1, values);
    }
}
