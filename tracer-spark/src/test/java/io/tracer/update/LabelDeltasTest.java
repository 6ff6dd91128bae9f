package io.tracer.update;

import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricTable;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Label deltas from hand-written label_coverage rows: labels only leave a growing history when a
 * teacher stops using them, which the fits of UpdateJobTest cannot show.
 */
class LabelDeltasTest {
    @TempDir
    Path dir;

    @Test
    void newRemovedAndKeptLabelsAtTargetsBothRunsCovered() {
        SparkSession spark = SparkTestSession.get();
        LakehouseLayout layout = new LakehouseLayout(dir.resolve("lake").toUri().toString(), "");
        DeltaWriter writer = new DeltaWriter(spark, layout);
        writer.write(MetricTable.LABEL_COVERAGE, "p", spark.createDataFrame(List.of(
                RowFactory.create("p", 0.9, "x", 10L, 5L, 0.5, 5L, 1.0),
                RowFactory.create("p", 0.9, "gone", 4L, 0L, 0.0, 0L, null),
                RowFactory.create("p", 0.8, "x", 10L, 8L, 0.8, 7L, 0.875)), MetricTable.LABEL_COVERAGE.schema()));
        writer.write(MetricTable.LABEL_COVERAGE, "c", spark.createDataFrame(List.of(
                RowFactory.create("c", 0.9, "x", 12L, 9L, 0.75, 9L, 1.0),
                RowFactory.create("c", 0.9, "y", 3L, 0L, 0.0, 0L, null),
                RowFactory.create("c", 0.95, "x", 12L, 6L, 0.5, 6L, 1.0)), MetricTable.LABEL_COVERAGE.schema()));
        // another run's rows must not leak in
        writer.write(MetricTable.LABEL_COVERAGE, "z", spark.createDataFrame(List.of(
                RowFactory.create("z", 0.9, "zz", 1L, 1L, 1.0, 1L, 1.0)), MetricTable.LABEL_COVERAGE.schema()));

        LabelDeltas deltas = new LabelDeltas(spark, layout);
        assertEquals(Map.of(LabelDeltas.KEPT, 1L, LabelDeltas.NEW, 1L, LabelDeltas.REMOVED, 1L), deltas.write("c", "p"));
        var table = spark.read().format("delta").load(layout.labelDeltas());
        assertEquals(3, table.count(), "0.8 and 0.95 are covered by one run only");
        Row kept = table.where(col("label").equalTo("x")).first();
        assertEquals("p", kept.getAs("parent_run_id"));
        assertEquals(0.9, (double) kept.getAs("target"), 1e-12);
        assertEquals(10L, (long) kept.getAs("rows_before"));
        assertEquals(12L, (long) kept.getAs("rows_after"));
        assertEquals(0.5, (double) kept.getAs("handled_share_before"), 1e-12);
        assertEquals(0.75, (double) kept.getAs("handled_share_after"), 1e-12);
        Row gone = table.where(col("label").equalTo("gone")).first();
        assertEquals(LabelDeltas.REMOVED, gone.getAs("status"));
        assertNull(gone.getAs("rows_after"));
        Row fresh = table.where(col("label").equalTo("y")).first();
        assertEquals(LabelDeltas.NEW, fresh.getAs("status"));
        assertNull(fresh.getAs("rows_before"));

        // written again for the same run: replaced, not duplicated
        deltas.write("c", "p");
        assertEquals(3, spark.read().format("delta").load(layout.labelDeltas()).count());
    }
}
