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

    /**
     * {@code rows} re-created from one broadcast copy of their partitions when there are at most
     * {@code limit} of them: the same rows in the same partitions and order, under a plan and an
     * RDD lineage of one step. More rows come back as they are.
     *
     * <p>Why: each task of a Spark job deserializes its RDD's whole lineage, the closures in it
     * included, and an iterative MLlib fit runs one job per iteration. A fit's training rows carry
     * the fit so far in their lineage (load, validation and split plans; for rows derived from
     * predictions, the models that made them: an RSB second stage's rows hold the first
     * surrogate's fold models and the first gate, 1.1-1.5 MB per task on Banking77). On B1 the
     * tasks of the zoo stage spent 14-15 s deserializing, and those of the rsb stage 15-17 s,
     * more than their 10-13 s of arithmetic; with detached copies, 6-7 s and 5 s.
     * A lost partition is rebuilt from the broadcast, which the driver keeps, so an executor can
     * still be lost. The rows are collected to the driver: callers bound {@code limit}.
     */
    public static Dataset<Row> detached(Dataset<Row> rows, long limit) {
        if (rows.count() > limit) {
            return rows;
        }
        List<List<Row>> parts = new ArrayList<>();
        for (List<Row> part : rows.javaRDD().glom().collect()) {
            parts.add(new ArrayList<>(part));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<List<List<Row>>> copy = jsc.broadcast(parts);
        List<Integer> ids = IntStream.range(0, parts.size()).boxed().toList();
        // one slice per id: partition i of the copy is partition i of the rows
        JavaRDD<Row> rdd = jsc.parallelize(ids, Math.max(1, parts.size()))
                .flatMap(i -> copy.value().get(i).iterator());
        return rows.sparkSession().createDataFrame(rdd, rows.schema());
    }
}
