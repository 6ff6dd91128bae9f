package io.tracer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Persists a stage's output behind a short logical plan.
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
}
