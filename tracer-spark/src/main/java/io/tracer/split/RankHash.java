package io.tracer.split;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.xxhash64;

/** The per-row random key both assigners order by: a uniform double in [0, 1) from (seed, trace id). */
final class RankHash {
    /** 2^53: the top 53 bits of a 64-bit hash are exactly representable as a double fraction. */
    private static final double TWO_POW_53 = 9007199254740992.0;

    private RankHash() {}

    /**
     * xxhash64 is a Spark built-in with a fixed, documented algorithm, so the value is the same
     * on every executor, in every partitioning and across runs; the seed enters as a hashed
     * column because the built-in's own seed is fixed.
     */
    static Column uniform(long seed, String idColumn) {
        Column h = xxhash64(lit(seed), col(idColumn));
        return shiftrightunsigned(h, 11).cast("double").divide(lit(TWO_POW_53));
    }
}
