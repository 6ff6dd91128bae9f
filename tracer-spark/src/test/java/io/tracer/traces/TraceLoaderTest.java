package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EncoderInfo;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceLoaderTest {
    private final SparkSession spark = SparkTestSession.get();

    static TracerConfig.Traces config(double maxBadShare, String duplicates) {
        TracerConfig.Traces d = ConfigLoader.load(null, Map.of()).traces();
        return new TracerConfig.Traces(d.format(), d.inputCol(), d.teacherCol(), d.inputAliases(),
                d.teacherAliases(), d.idAliases(), d.timestampAliases(), d.groundTruthAliases(),
                d.embeddingAliases(), maxBadShare, duplicates);
    }

    private static String uri(Path p) {
        return p.toUri().toString();
    }

    private static Path write(Path dir, String name, List<String> lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    /** 100 good JSONL lines (label i%4), each with a 3-wide embedding. */
    private static List<String> goodJsonl(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("{\"query\": \"question number " + i + "\", \"intent\": \"label" + (i % 4)
                    + "\", \"embedding\": [" + i + ".0, 1.0, 2.0]}");
        }
        return lines;
    }

    private static List<String> withBadLines(int good) {
        List<String> lines = goodJsonl(good);
        lines.add(5, "{\"query\": \"broken\", \"intent\": ");                           // line 6
        lines.add(10, "{\"query\": \"no label here\", \"intent\": \"  \", \"embedding\": [1.0, 1.0, 1.0]}"); // line 11
        lines.add(20, "{\"query\": \"nan vector\", \"intent\": \"label1\", \"embedding\": [NaN, 1.0, 2.0]}"); // line 21
        lines.add(30, "{\"query\": \"short vector\", \"intent\": \"label1\", \"embedding\": [1.0, 2.0]}"); // line 31
        lines.add("");                                                                   // blank lines are not rows
        return lines;
    }

    private Map<String, Long> quarantineReasons(String quarantine, String runId) {
        return spark.read().format("delta").load(quarantine).filter(col(Quarantine.RUN_ID).equalTo(runId))
                .groupBy(Columns.REASON).count().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    }

    @Test
    void jsonlBadRowsGoToQuarantineWithReasonsAndLines(@TempDir Path dir) throws IOException {
        Path file = write(dir, "traces.jsonl", withBadLines(200));
        String quarantine = uri(dir.resolve("quarantine"));
        LoadedTraces t = new TraceLoader(spark, config(0.05, "keep-latest"))
                .load(TraceSource.of(uri(file)), quarantine, "run-1");

        assertEquals(204, t.readCount());
        assertEquals(200, t.validCount());
        assertEquals(200, t.valid().count());
        assertEquals(Map.of(QuarantineReason.MALFORMED_JSON, 1L, QuarantineReason.MISSING_TEACHER, 1L,
                QuarantineReason.NONFINITE_EMBEDDING, 1L, QuarantineReason.EMBEDDING_WIDTH, 1L),
                t.quarantinedByReason());
        assertEquals(t.readCount(), t.validCount() + t.quarantinedCount());
        assertEquals("query", t.columns().input());
        assertEquals("intent", t.columns().teacher());
        assertEquals(Optional.of("embedding"), t.columns().embedding());
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, true),
                t.valid().schema().apply(Columns.EMBEDDING).dataType());

        Dataset<Row> q = spark.read().format("delta").load(quarantine);
        // The table analysts query must be the one docs/tables.md and MetricTables describe.
        assertEquals(namesAndTypes(io.tracer.lakehouse.MetricTables.QUARANTINE), namesAndTypes(q.schema()));
        assertEquals(t.quarantinedByReason(), quarantineReasons(quarantine, "run-1"));
        Row broken = q.filter(col(Columns.REASON).equalTo(QuarantineReason.MALFORMED_JSON)).first();
        assertEquals(6L, broken.getLong(broken.fieldIndex(Columns.SOURCE_LINE)));
        assertTrue(broken.getString(broken.fieldIndex(Columns.SOURCE_FILE)).endsWith("traces.jsonl"));
        assertEquals("{\"query\": \"broken\", \"intent\": ", broken.getString(broken.fieldIndex(Quarantine.RAW)));
        Row nan = q.filter(col(Columns.REASON).equalTo(QuarantineReason.NONFINITE_EMBEDDING)).first();
        assertEquals(21L, nan.getLong(nan.fieldIndex(Columns.SOURCE_LINE)));
        assertEquals(31L, (long) q.filter(col(Columns.REASON).equalTo(QuarantineReason.EMBEDDING_WIDTH)).first()
                .<Long>getAs(Columns.SOURCE_LINE));

        // Valid rows keep their line too: "question number 0" is line 1, number 7 is line 8 (after the broken line 6).
        assertEquals(8L, (long) t.valid().filter(col(Columns.INPUT).equalTo("question number 6")).first()
                .<Long>getAs(Columns.SOURCE_LINE));

        // The same run loading the same source again does not duplicate the quarantine.
        new TraceLoader(spark, config(0.05, "keep-latest")).load(TraceSource.of(uri(file)), quarantine, "run-1");
        assertEquals(4, spark.read().format("delta").load(quarantine).count());
        t.valid().unpersist();
    }

    @Test
    void tooManyBadRowsFailWithCountsAndExample(@TempDir Path dir) throws IOException {
        Path file = write(dir, "traces.jsonl", withBadLines(200));
        String quarantine = uri(dir.resolve("q"));
        BadInputException e = assertThrows(BadInputException.class, () -> new TraceLoader(spark,
                config(0.01, "keep-latest")).load(TraceSource.of(uri(file)), quarantine, "run-2"));
        assertTrue(e.getMessage().contains("4 of 204 rows"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed_json=1"), e.getMessage());
        assertTrue(e.getMessage().contains("line 6"), e.getMessage());
        // The quarantine is written before failing, so the user can look at the rows.
        assertEquals(4, spark.read().format("delta").load(quarantine).count());
    }

    @Test
    void derivedIdsAreStableAcrossReads(@TempDir Path dir) throws IOException {
        Path file = write(dir, "t.jsonl", goodJsonl(50));
        TraceLoader loader = new TraceLoader(spark, config(0.01, "keep-latest"));
        String q = uri(dir.resolve("q"));
        LoadedTraces a = loader.load(TraceSource.of(uri(file)), q, "a");
        LoadedTraces b = loader.load(TraceSource.of(uri(file)), q, "b");
        List<String> ida = a.valid().orderBy(Columns.INPUT).select(Columns.TRACE_ID).as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList();
        List<String> idb = b.valid().orderBy(Columns.INPUT).select(Columns.TRACE_ID).as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(50, ida.size());
        assertEquals(ida, idb);
        assertEquals(50, ida.stream().distinct().count());
        assertEquals(64, ida.get(0).length());
    }

    @Test
    void duplicateIdsKeepLatestOrFail(@TempDir Path dir) throws IOException {
        Path file = write(dir, "d.jsonl", List.of(
                "{\"id\": \"a\", \"text\": \"old\", \"label\": \"x\", \"timestamp\": \"2024-01-01 10:00:00\"}",
                "{\"id\": \"a\", \"text\": \"new\", \"label\": \"y\", \"timestamp\": \"2024-01-02 10:00:00\"}",
                "{\"id\": \"b\", \"text\": \"b1\", \"label\": \"x\", \"timestamp\": \"2024-01-01 10:00:00\"}",
                "{\"id\": \"b\", \"text\": \"b2\", \"label\": \"x\", \"timestamp\": \"2024-01-01 10:00:00\"}",
                "{\"text\": \"same\", \"label\": \"z\"}",
                "{\"text\": \"same\", \"label\": \"z\"}",
                "{\"id\": \"c\", \"text\": \"c\", \"label\": \"z\", \"timestamp\": \"2024-01-01 10:00:00\"}"));
        String q = uri(dir.resolve("q"));
        LoadedTraces t = new TraceLoader(spark, config(0.0, "keep-latest")).load(TraceSource.of(uri(file)), q, "r");
        assertEquals(7, t.readCount());
        assertEquals(4, t.validCount());
        assertEquals(Map.of(QuarantineReason.DUPLICATE_TRACE_ID, 3L), t.quarantinedByReason());
        Map<String, String> kept = new HashMap<>();
        for (Row r : t.valid().collectAsList()) {
            kept.put(r.getAs(Columns.TRACE_ID), r.getAs(Columns.INPUT));
        }
        assertEquals("new", kept.get("a"));   // latest timestamp
        assertEquals("b2", kept.get("b"));    // same timestamp: greatest input
        assertTrue(kept.containsValue("same"));
        assertEquals(DataTypes.TimestampType, t.valid().schema().apply(Columns.TIMESTAMP).dataType());

        BadInputException e = assertThrows(BadInputException.class, () -> new TraceLoader(spark,
                config(0.5, "fail")).load(TraceSource.of(uri(file)), uri(dir.resolve("q2")), "r"));
        assertTrue(e.getMessage().contains("3 rows repeat"), e.getMessage());
    }

    /**
     * A Parquet or Delta path answers "does any trace id occur twice?" without reading vectors:
     * with repeats the duplicate window runs and resolves them as on a text source (and
     * duplicates = fail fails); without, the window is left out of the plan (it would mark no
     * row) and every row stays valid. A catalog table always gets the window.
     */
    @Test
    void columnarTablesResolveRepeatedIdsAndSkipTheWindowWithoutThem(@TempDir Path dir) {
        StructType schema = new StructType().add("trace_id", DataTypes.StringType)
                .add("text", DataTypes.StringType).add("label", DataTypes.StringType);
        List<Row> unique = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            unique.add(RowFactory.create("t" + i, "text " + i, "l" + (i % 2)));
        }
        List<Row> repeated = new ArrayList<>(unique);
        repeated.add(RowFactory.create("t3", "text 3 again", "l1"));
        repeated.add(RowFactory.create("t7", "text 7 again", "l1"));
        String once = uri(dir.resolve("once"));
        String twice = uri(dir.resolve("twice.parquet"));
        spark.createDataFrame(unique, schema).write().format("delta").save(once);
        spark.createDataFrame(repeated, schema).write().parquet(twice);
        TraceLoader loader = new TraceLoader(spark, config(0.5, "keep-latest"));

        LoadedTraces a = loader.load(TraceSource.of(once), uri(dir.resolve("q")), "r");
        assertEquals(10, a.validCount());
        assertEquals(Map.of(), a.quarantinedByReason());
        assertFalse(plan(loader, once).contains("Window"), "no id repeats, yet the plan has the window");

        LoadedTraces b = loader.load(TraceSource.of(twice), uri(dir.resolve("q")), "r");
        assertEquals(12, b.readCount());
        assertEquals(10, b.validCount());
        assertEquals(Map.of(QuarantineReason.DUPLICATE_TRACE_ID, 2L), b.quarantinedByReason());
        assertEquals("text 3 again", b.valid().filter(col(Columns.TRACE_ID).equalTo("t3")).first().getAs(Columns.INPUT));
        assertTrue(plan(loader, twice).contains("Window"), "ids repeat, yet the plan has no window");
        BadInputException e = assertThrows(BadInputException.class, () -> new TraceLoader(spark,
                config(0.5, "fail")).load(TraceSource.of(twice), uri(dir.resolve("q2")), "r"));
        assertTrue(e.getMessage().contains("2 rows repeat"), e.getMessage());

        // A catalog table is read unpinned, so a second query could see newer rows: always the window.
        spark.createDataFrame(unique, schema).write().format("delta").saveAsTable("traces_once_test");
        try {
            assertTrue(plan(loader, "traces_once_test").contains("Window"), "a catalog table skipped the window");
        } finally {
            spark.sql("DROP TABLE IF EXISTS traces_once_test");
        }
    }

    private static String plan(TraceLoader loader, String uri) {
        return loader.check(TraceSource.of(uri), LoadOptions.TRAINING).checked().queryExecution().optimizedPlan().toString();
    }

    @Test
    void csvWithMultiLineQuotedFieldsAndOverride(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.csv");
        Files.writeString(file, "text,category,label\n"
                + "\"first line\nsecond line\",card,L1\n"
                + "\"she said \"\"hi\"\", then left\",cash,L2\n"
                + "plain,card,L3\n", StandardCharsets.UTF_8);
        TraceLoader loader = new TraceLoader(spark, config(0.01, "keep-latest"));
        LoadedTraces t = loader.load(TraceSource.of(uri(file)), uri(dir.resolve("q")), "r");
        assertEquals(3, t.validCount());
        assertEquals("text", t.columns().input());
        assertEquals("label", t.columns().teacher());   // label comes before category in the aliases
        List<String> inputs = t.valid().orderBy(Columns.INPUT).select(Columns.INPUT)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("first line\nsecond line", "plain", "she said \"hi\", then left"), inputs);

        LoadedTraces o = loader.load(TraceSource.of(uri(file)).withColumns(null, "category"),
                uri(dir.resolve("q")), "r");
        assertEquals("category", o.columns().teacher());
        assertEquals(List.of("card", "card", "cash"), o.valid().orderBy(Columns.TEACHER).select(Columns.TEACHER)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

        BadInputException e = assertThrows(BadInputException.class, () -> loader.load(
                TraceSource.of(uri(file)).withColumns("nope", null), uri(dir.resolve("q")), "r"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void parquetDeltaAndCatalogTable(@TempDir Path dir) {
        StructType schema = new StructType()
                .add("trace_id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("teacher_label", DataTypes.StringType).add("gold", DataTypes.StringType)
                .add("vector", DataTypes.createArrayType(DataTypes.DoubleType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(RowFactory.create("t" + i, "p" + i, "l" + (i % 2), "l" + (i % 2), List.of(1.0 * i, 2.0)));
        }
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        String parquet = uri(dir.resolve("p.parquet"));
        df.write().parquet(parquet);
        String delta = uri(dir.resolve("d"));
        df.write().format("delta").save(delta);
        df.write().format("delta").saveAsTable("traces_loader_test");
        try {
            TraceLoader loader = new TraceLoader(spark, config(0.01, "keep-latest"));
            for (TraceSource s : List.of(TraceSource.of(parquet), TraceSource.of(delta),
                    TraceSource.of("traces_loader_test"), TraceSource.of(delta).withFormat("delta"))) {
                LoadedTraces t = loader.load(s, uri(dir.resolve("q")), "r");
                assertEquals(20, t.validCount(), s.toString());
                assertEquals("prompt", t.columns().input());
                assertEquals("teacher_label", t.columns().teacher());
                assertEquals(Optional.of("gold"), t.columns().groundTruth());
                assertEquals(List.of(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.GROUND_TRUTH,
                        Columns.EMBEDDING, Columns.SOURCE_FILE, Columns.SOURCE_LINE),
                        List.of(t.valid().columns()));
                Row r = t.valid().filter(col(Columns.TRACE_ID).equalTo("t3")).first();
                assertEquals("p3", r.getAs(Columns.INPUT));
                assertFalse(t.encoder().isPresent());
            }
        } finally {
            spark.sql("DROP TABLE IF EXISTS traces_loader_test");
        }
    }

    @Test
    void encoderMetadataTravelsThroughDeltaAndSetsTheWidth(@TempDir Path dir) {
        EncoderInfo enc = new EncoderInfo("test-enc", 2);
        StructType schema = new StructType().add("input", DataTypes.StringType).add("teacher", DataTypes.StringType)
                .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Most rows are 3 wide, but the encoder says 2: the encoder wins over the majority.
            rows.add(RowFactory.create("in" + i, "x", i < 29 ? List.of(1f, 2f, 3f) : List.of(1f, 2f)));
        }
        String delta = uri(dir.resolve("d"));
        enc.tag(spark.createDataFrame(rows, schema)).write().format("delta").save(delta);
        BadInputException e = assertThrows(BadInputException.class, () -> new TraceLoader(spark,
                config(0.01, "keep-latest")).load(TraceSource.of(delta), uri(dir.resolve("q")), "r"));
        assertTrue(e.getMessage().contains("embedding_width=29"), e.getMessage());

        LoadedTraces t = new TraceLoader(spark, config(1.0, "keep-latest"))
                .load(TraceSource.of(delta), uri(dir.resolve("q")), "r2");
        assertEquals(1, t.validCount());
        assertEquals(Optional.of(enc), t.encoder());
        assertEquals(Optional.of(enc), EncoderInfo.of(t.valid()));
    }

    @Test
    void missingRequiredColumnIsAClearError(@TempDir Path dir) throws IOException {
        Path file = write(dir, "t.jsonl", List.of("{\"foo\": \"a\", \"intent\": \"b\"}"));
        BadInputException e = assertThrows(BadInputException.class, () -> new TraceLoader(spark,
                config(0.01, "keep-latest")).load(TraceSource.of(uri(file)), uri(dir.resolve("q")), "r"));
        assertTrue(e.getMessage().contains("no input column"), e.getMessage());
        assertTrue(e.getMessage().contains("foo"), e.getMessage());
    }

    @Test
    void banking77TrainReadsAllRows(@TempDir Path dir) {
        Path b77 = banking77Train();
        Assumptions.assumeTrue(b77 != null,
                "skipped: ../shared/data/banking77/train.csv is absent (the shared data lives next to the checkout)");
        LoadedTraces t = new TraceLoader(spark, config(0.01, "keep-latest"))
                .load(TraceSource.of(uri(b77)), uri(dir.resolve("q")), "r");
        assertEquals(10_003, t.readCount());
        assertEquals(10_003, t.validCount());
        assertEquals(77, t.valid().select(Columns.TEACHER).distinct().count());
        assertEquals(10, t.valid().filter(col(Columns.INPUT).contains("\n")).count());
    }

    /** ../shared/data/banking77/train.csv from the working dir (../../shared from a worktree under wt/), or null. */
    static Path banking77Train() {
        for (String base : List.of("../shared", "../../shared")) {
            Path p = Path.of(base, "data/banking77/train.csv").toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> namesAndTypes(StructType schema) {
        List<String> out = new ArrayList<>();
        for (var f : schema.fields()) {
            out.add(f.name() + ":" + f.dataType().simpleString());
        }
        return out;
    }
}
