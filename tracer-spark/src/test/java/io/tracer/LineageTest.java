package io.tracer;

import io.tracer.testing.SparkTestSession;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineageTest {
    private final SparkSession spark = SparkTestSession.get();

    /** 300 rows with a vector column, through a shuffle and a few projections: a lineage of many steps. */
    private Dataset<Row> longLineage() {
        Dataset<Row> rows = spark.range(300).toDF("i")
                .withColumn("trace_id", functions.concat(functions.lit("t"), col("i").cast("string")))
                .repartition(3, col("trace_id"))
                .withColumn("x", col("i").multiply(2))
                .sortWithinPartitions("trace_id");
        Dataset<Row> withVectors = spark.createDataFrame(rows.javaRDD().map(r -> org.apache.spark.sql.RowFactory.create(
                        r.getString(1), r.getLong(2), Vectors.dense(r.getLong(0), 1.0, -1.0))),
                new org.apache.spark.sql.types.StructType()
                        .add("trace_id", "string").add("x", "long")
                        .add("features", new org.apache.spark.ml.linalg.VectorUDT()));
        return withVectors.where(col("x").geq(0));
    }

    private static int depth(Dataset<Row> rows) {
        return rows.rdd().toDebugString().split("\n").length;
    }

    @Test
    void aDetachedCopyHasTheSameRowsInTheSamePartitionsUnderAShortLineage() {
        Dataset<Row> rows = longLineage();
        assertEquals(5, Lineage.valuesPerRow(rows), "a string, a long and a 3-wide vector");
        Lineage.Detached detached = Lineage.detached(rows, 300, 1_500);
        Dataset<Row> copy = detached.rows();

        List<List<Row>> before = rows.javaRDD().glom().collect();
        List<List<Row>> after = copy.javaRDD().glom().collect();
        assertEquals(3, before.size());
        assertEquals(before, after, "the same rows, partition by partition, in the same order");
        assertEquals(rows.schema(), copy.schema());
        assertTrue(rows.rdd().toDebugString().contains("ShuffledRowRDD"), rows.rdd().toDebugString());
        assertFalse(copy.rdd().toDebugString().contains("ShuffledRowRDD"), copy.rdd().toDebugString());
        assertTrue(depth(copy) < depth(rows), depth(copy) + " lineage lines against " + depth(rows));
        // it is a Dataset like any other, and still one once the executors' copies are released
        assertEquals(150, copy.where(col("x").lt(300)).count());
        detached.release().run();
        assertEquals(before, copy.javaRDD().glom().collect());
    }

    @Test
    void setsOverTheBoundComeBackAsTheyAre() {
        Dataset<Row> rows = longLineage();
        assertSame(rows, Lineage.detached(rows, 300, 1_499).rows(), "300 rows of 5 numbers are 1,500");
        assertSame(rows, Lineage.detached(rows, 300, 299).rows());
    }

    @Test
    void anEmptySetIsDetachedToo() {
        Dataset<Row> none = longLineage().where(col("x").lt(0));
        Dataset<Row> copy = Lineage.detached(none, 0, 1_000).rows();
        assertEquals(0, copy.count());
        assertEquals(none.schema(), copy.schema());
    }
}
