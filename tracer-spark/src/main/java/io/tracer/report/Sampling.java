package io.tracer.report;

import io.tracer.Columns;
import io.tracer.route.RouteColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * A seeded, bounded sample per (teacher label, decision): rows ordered by a hash of their trace
 * id and the seed, first {@code n} kept. The same seed picks the same rows on a re-run, and the
 * window is partitioned by label, so no single task sees all rows.
 */
final class Sampling {
    private Sampling() {}

    static Dataset<Row> perLabelAndDecision(Dataset<Row> routed, int n, long seed) {
        return routed.withColumn("_pick", row_number().over(Window
                        .partitionBy(col(Columns.TEACHER), col(RouteColumns.DECISION))
                        .orderBy(xxhash64(col(Columns.TRACE_ID), lit(seed)), col(Columns.TRACE_ID))))
                .where(col("_pick").leq(n))
                .drop("_pick");
    }
}
