package io.tracer.zoo;

import io.tracer.Lineage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitioning an iterative MLlib fit reads its rows in.
 *
 * <p>LBFGS and the MLP run one Spark job per iteration, and each job pays a fixed cost per
 * partition. Rows that come out of a shuffle or a union of fold predictions arrive in far more
 * partitions than their size needs: 585 Banking77 rows in 24 partitions took 35-55 s to fit a
 * logistic regression that takes 4-8 s in 1 or 2 partitions (same 39 iterations, local[2]). So
 * small tables are packed into at most one partition per core, and large ones get enough
 * partitions that none holds more than {@link #MAX_ROWS_PER_PARTITION} rows.
 */
public final class TrainingPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingPartitions.class);

    /** Below this many rows per partition, another partition costs more than it parallelises. */
    public static final long MIN_ROWS_PER_PARTITION = 2_000;
    /** Above this many rows per partition, a task's memory and straggling start to matter. */
    public static final long MAX_ROWS_PER_PARTITION = 100_000;
    /**
     * Training sets of up to this many numbers (rows times their vector widths) are re-created
     * from a broadcast copy under a one-step lineage ({@link Lineage#detached}), so a fit's
     * per-iteration tasks do not deserialize the whole fit's lineage: 8,000,000 doubles, 64 MB on
     * the driver (B1's 6,004 train rows at 384 dimensions hold 2.3 million). Larger sets keep
     * their lineage: their iterations are long enough that it costs little in proportion.
     */
    public static final long DETACHED_MAX_VALUES = 8_000_000;

    private TrainingPartitions() {}

    /** Rows persisted in their training partitioning, with their count. */
    public record Sized(Dataset<Row> rows, long count) {}

    /** Partitions for {@code rows} rows on {@code cores} cores (Spark's default parallelism). */
    public static int target(long rows, int cores) {
        long byCores = Math.min(Math.max(1, cores), ceilDiv(rows, MIN_ROWS_PER_PARTITION));
        long bySize = ceilDiv(rows, MAX_ROWS_PER_PARTITION);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.max(byCores, bySize)));
    }

    /**
     * Persists {@code rows} (MEMORY_AND_DISK) in the partitioning {@link #target} gives. Fewer
     * partitions come from coalescing the cached blocks (no shuffle), more from a repartition.
     * The rows come back under a short plan ({@link Lineage}). The caller unpersists them.
     */
    public static Sized persist(Dataset<Row> rows, String what) {
        return persist(rows, what, DETACHED_MAX_VALUES);
    }

    static Sized persist(Dataset<Row> rows, String what, long detachedMaxValues) {
        Dataset<Row> cached = Lineage.persistCut(rows);
        long count = cached.count();
        int current = cached.rdd().getNumPartitions();
        int wanted = target(count, rows.sparkSession().sparkContext().defaultParallelism());
        Lineage.Detached detached = Lineage.detached(cached, count, detachedMaxValues);
        boolean detach = detached.rows() != cached;
        if (wanted == current && !detach) {
            return new Sized(cached, count);
        }
        if (detach) {
            cached.unpersist(); // the driver holds the rows now
        }
        // A copy has no block locations, so a coalesce takes runs of consecutive partitions, on a
        // cluster too (the cached blocks' grouping depended on which executor held them).
        Dataset<Row> packed = repack(detached.rows(), wanted).persist(StorageLevel.MEMORY_AND_DISK());
        packed.count();
        detached.release().run();
        if (!detach) {
            cached.unpersist();
        }
        LOG.debug("{}: {} rows from {} into {} partitions for training{}", what, count, current, wanted,
                detach ? ", detached from their lineage" : "");
        return new Sized(packed, count);
    }

    /** {@code rows} in {@code wanted} partitions: as they are, coalesced (no shuffle) or repartitioned. */
    static Dataset<Row> repack(Dataset<Row> rows, int wanted) {
        int current = rows.rdd().getNumPartitions();
        return wanted == current ? rows : wanted < current ? rows.coalesce(wanted) : rows.repartition(wanted);
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
