package io.tracer.scan;

import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.LakehouseTables;
import io.tracer.lakehouse.MetricRows.Estimate;
import io.tracer.lakehouse.MetricRows.ScanRow;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.TableRows;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.QuarantineReason;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceLoader;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanJobTest {
    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    private TracerConfig config(Map<String, String> more) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of(
                "tracer.lakehouse.root", dir.resolve("lake").toUri().toString(),
                "tracer.calibrate.targets", "[0.8, 0.9]",
                "tracer.calibrate.deploy-target", "0.9",
                "tracer.calibrate.grid-size", "200"));
        keys.putAll(more);
        return ConfigLoader.load(null, keys);
    }

    /**
     * A table with every kind of trouble: the scan counts it exactly as a fit's load does
     * (invalid rows per reason, duplicates, valid rows), writes nothing to the quarantine unless
     * asked, and writes its scans row and page.
     */
    @Test
    void theScanCountsWhatAFitsLoadCountsAndWritesTheQuarantineOnlyWhenAsked() throws Exception {
        String traces = dir.resolve("traces").toUri().toString();
        new SyntheticTraceGenerator(spark).write(SyntheticSpec.of(1500, 8, 4, 0.02, 0.0, 11), traces, true);
        Dataset<Row> some = spark.read().format("delta").load(traces).limit(8).cache();
        List<Dataset<Row>> bad = new ArrayList<>();
        bad.add(some.limit(2).withColumn("trace_id", concat(col("trace_id"), lit("-t"))).withColumn("teacher", lit("")));
        bad.add(some.limit(2).withColumn("trace_id", concat(col("trace_id"), lit("-n")))
                .withColumn("embedding", array_repeat(lit(Float.NaN), 8)));
        bad.add(some.limit(1).withColumn("trace_id", concat(col("trace_id"), lit("-w")))
                .withColumn("embedding", slice(col("embedding"), 1, 5)));
        bad.add(some.limit(3)); // the same trace ids again: duplicates
        for (Dataset<Row> b : bad) {
            b.write().format("delta").mode("append").save(traces);
        }
        TracerConfig config = config(Map.of("tracer.scan.sample-rows", "1000"));
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());

        ScanResult result = new ScanJob(spark, config, layout).run(new ScanRequest(TraceSource.of(traces), "scan-1", false));
        ScanRow row = result.row();
        LoadedTraces loaded = new TraceLoader(spark, config.traces()).load(TraceSource.of(traces),
                dir.resolve("fit-quarantine").toUri().toString(), "fit-load");
        assertEquals(loaded.readCount(), row.rowsRead());
        assertEquals(loaded.validCount(), row.rowsValid());
        assertEquals(loaded.invalidCount(), row.rowsInvalid());
        assertEquals(loaded.duplicateCount(), row.rowsDuplicates());
        assertEquals(loaded.quarantinedByReason(), row.quarantineByReason());
        assertEquals(Map.of(QuarantineReason.MISSING_TEACHER, 2L, QuarantineReason.NONFINITE_EMBEDDING, 2L,
                QuarantineReason.EMBEDDING_WIDTH, 1L, QuarantineReason.DUPLICATE_TRACE_ID, 3L), row.quarantineByReason());
        loaded.valid().unpersist();
        assertEquals(1500, row.rowsValid());
        assertEquals(5.0 / 1508, row.invalidShare(), 1e-12);
        assertFalse(row.tooManyInvalid(), "5 of 1508 rows is less than tracer.traces.max-bad-share = 1%");
        assertTrue(row.message().startsWith("ESTIMATE: a fit could certify about"), row.message());
        assertEquals(4, row.labels());
        assertEquals(row.rowsValid(), row.labelCounts().values().stream().mapToLong(Long::longValue).sum());
        assertEquals("embedding", row.embeddingColumn());
        assertEquals(8, row.embeddingDim());
        assertEquals(0, row.textsToEmbed());
        assertEquals(300, row.calibrationRows());

        // the estimate: one per target, a share, less or equal at a stricter target, labelled
        assertEquals("lr-1e-3", row.surrogate());
        assertEquals(1000, row.sampleRows() + row.heldoutRows());
        assertEquals(List.of(0.8, 0.9), row.estimates().stream().map(Estimate::target).toList());
        Estimate loose = row.estimates().get(0);
        Estimate strict = row.estimates().get(1);
        assertTrue(loose.coverage() > 0 && loose.coverage() <= 1 && strict.coverage() <= loose.coverage(),
                row.estimates().toString());
        assertEquals(strict.coverage() * 100000, strict.callsSavedPerDay(), 1e-6);
        assertTrue(result.summary().contains("ESTIMATE    not a certificate"), result.summary());

        // nothing quarantined by a look; the row is in the scans table; the page is there
        LakehouseTables tables = new LakehouseTables(spark, layout);
        assertEquals(0, tables.runRows(MetricTable.QUARANTINE, "scan-1").size());
        ScanRow back = TableRows.fromRow(MetricTable.SCANS, tables.runRows(MetricTable.SCANS, "scan-1").get(0),
                ScanRow.class);
        assertEquals(row.estimates(), back.estimates());
        assertEquals(row.labelCounts(), back.labelCounts());
        String page = Files.readString(Path.of(java.net.URI.create(result.reportUri())));
        assertTrue(page.contains("ESTIMATE, not a certificate") && page.contains("label_"), page);

        // asked to, it writes what a fit would quarantine, and counts the same
        ScanRow written = new ScanJob(spark, config, layout)
                .run(new ScanRequest(TraceSource.of(traces), "scan-2", true)).row();
        assertTrue(written.quarantineWritten());
        assertEquals(row.quarantineByReason(), written.quarantineByReason());
        assertEquals(8, tables.runRows(MetricTable.QUARANTINE, "scan-2").size());
    }

    /** Without vectors the scan embeds a sample: it measures the encoder and projects the embedding time. */
    @Test
    void withoutVectorsItMeasuresTheEncoderAndProjectsTheEmbeddingTime() throws Exception {
        Path jsonl = dir.resolve("texts.jsonl");
        List<String> lines = new ArrayList<>();
        String[][] topics = {{"card", "my card has not arrived", "where is my new card"},
                {"refund", "i want my money back", "please refund the order"},
                {"password", "i forgot my password", "reset my login password"}};
        for (int i = 0; i < 120; i++) {
            String[] t = topics[i % 3];
            lines.add("{\"id\": \"t" + i + "\", \"text\": \"" + t[1 + (i / 3) % 2] + " " + i + "\", \"label\": \"" + t[0] + "\"}");
        }
        lines.add("{\"id\": \"t0\", \"text\": \"" + topics[0][1] + " 0\", \"label\": \"card\"}");
        Files.write(jsonl, lines);
        TracerConfig config = config(Map.of("tracer.scan.embed-sample-rows", "100"));
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        ScanRow row = new ScanJob(spark, config, layout)
                .run(new ScanRequest(TraceSource.of(jsonl.toUri().toString()), "scan-text", false)).row();
        assertEquals(121, row.rowsRead());
        assertEquals(1, row.rowsDuplicates());
        assertEquals(120, row.rowsValid());
        assertNull(row.embeddingColumn());
        assertEquals(120, row.textsToEmbed());
        assertNotNull(row.encoderTextsPerSecond());
        assertTrue(row.encoderTextsPerSecond() > 0);
        assertEquals(row.textsToEmbed() / row.encoderTextsPerSecond(), row.embedSecondsEstimate(), 1e-9);
        assertEquals("lr-1e-3", row.surrogate());
        assertEquals(100, row.sampleRows() + row.heldoutRows());
        assertFalse(row.tooManyInvalid());
        assertTrue(row.message().startsWith("ESTIMATE"), row.message());
    }
}
