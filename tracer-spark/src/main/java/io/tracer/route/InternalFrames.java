package io.tracer.route;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame's rows in Spark's internal form and back, the one place routing touches Spark
 * internals.
 *
 * <p>Why: a partition function over {@code Row}s converts every value to a Java object and back;
 * for a 384-float embedding that is 384 boxed floats per row each way, which measured 2-3x slower
 * than the bare Delta scan. Internal rows hand the embedding over as one array copy and pass every
 * other column through untouched. {@code queryExecution().toRdd()} is public;
 * {@code SparkSession.internalCreateDataFrame} is {@code private[sql]} in Scala, which compiles to
 * a public method that Java can call: pinned to Spark 3.5 like the rest of the build, and worth
 * re-checking on a Spark upgrade.
 */
final class InternalFrames {
    private InternalFrames() {}

    /** The rows of {@code frame} as the executed plan produces them (each row may be reused: copy to keep it). */
    static RDD<InternalRow> rows(Dataset<Row> frame) {
        return frame.queryExecution().toRdd();
    }

    /** A DataFrame over internal rows of {@code schema}. */
    static Dataset<Row> frame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
        return spark.internalCreateDataFrame(rows, schema, false);
    }
}
