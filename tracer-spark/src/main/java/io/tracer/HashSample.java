package io.tracer;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Deterministic samples by trace id: a row's key is a uniform double in [0, 1) hashed from
 * (seed, trace id), so the same seed picks the same rows on every run, partitioning and executor,
 * and samples with growing bounds are nested.
 */
public final class HashSample {
    /** 2^53: the top 53 bits of a 64-bit hash are exactly representable as a double fraction. */
    private static final double TWO_POW_53 = 9007199254740992.0;

    private HashSample() {}

    /**
     * The key: xxhash64 is a Spark built-in with a fixed, documented algorithm, so the value is the
     * same everywhere and across runs; the seed enters as a hashed column because the built-in's
     * own seed is fixed.
     */
    public static Column uniform(long seed, String idColumn) {
        Column h = xxhash64(lit(seed), col(idColumn));
        return shiftrightunsigned(h, 11).cast("double").divide(lit(TWO_POW_53));
    }

    /** About {@code n} of {@code rows}' {@code count} rows (all of them when count <= n), by trace id. */
    public static Dataset<Row> atMost(Dataset<Row> rows, long count, long n, long seed) {
        if (count <= n) {
            return rows;
        }
        return rows.where(uniform(seed, Columns.TRACE_ID).lt((double) n / count));
    }
}
