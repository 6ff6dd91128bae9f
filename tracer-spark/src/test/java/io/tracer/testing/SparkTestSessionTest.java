package io.tracer.testing;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SparkTestSessionTest {
    @Test
    void deltaRoundTrip(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.range(10).toDF("id");
        String uri = dir.resolve("t").toUri().toString();
        df.write().format("delta").save(uri);
        assertEquals(10, spark.read().format("delta").load(uri).count());
    }
}
