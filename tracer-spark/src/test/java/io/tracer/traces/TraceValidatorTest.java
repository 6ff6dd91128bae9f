package io.tracer.traces;

import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TraceValidatorTest {
    private final SparkSession spark = SparkTestSession.get();

    @Test
    void nonFiniteFlagsNullNaNAndInfiniteElementsAsTheElementwiseCheckDoes() {
        StructType schema = new StructType().add("name", DataTypes.StringType)
                .add("e", DataTypes.createArrayType(DataTypes.FloatType, true));
        List<Row> rows = List.of(
                RowFactory.create("finite", List.of(1f, -2.5f, 0f)),
                RowFactory.create("nan", List.of(1f, Float.NaN)),
                RowFactory.create("null element", Arrays.asList(1f, null, 2f)),
                RowFactory.create("+inf", List.of(Float.POSITIVE_INFINITY, 1f)),
                RowFactory.create("-inf", List.of(3f, Float.NEGATIVE_INFINITY)),
                RowFactory.create("largest float", List.of(Float.MAX_VALUE, -Float.MAX_VALUE)),
                RowFactory.create("empty", List.of()),
                RowFactory.create("null array", null));
        Dataset<Row> checked = spark.createDataFrame(rows, schema)
                .withColumn("fast", TraceValidator.nonFinite(col("e")))
                // the element-wise rule it replaces, as the reference
                .withColumn("elementwise", exists(col("e"), x -> x.isNull().or(x.isNaN())
                        .or(abs(x).equalTo(lit(Float.POSITIVE_INFINITY)))));
        for (Row r : checked.collectAsList()) {
            String name = r.getString(0);
            if (r.isNullAt(1)) {
                assertNull(r.get(2), name);
                continue;
            }
            boolean expected = List.of("nan", "null element", "+inf", "-inf").contains(name);
            assertEquals(expected, r.getBoolean(2), name);
            assertEquals(r.getBoolean(3), r.getBoolean(2), name + ": as the element-wise check");
        }
        assertEquals(8, checked.count());
    }
}
