package io.tracer.lakehouse;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.TracerException;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeltaWriterTest {
    private final SparkSession spark = SparkTestSession.get();

    @TempDir
    Path dir;

    private LakehouseLayout layout(String database) {
        return new LakehouseLayout(dir.toUri().toString(), database);
    }

    /** label_coverage rows for one run: (label, rows) pairs, everything else derived. */
    private Dataset<Row> coverage(String runId, double target, Object... labelRows) {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < labelRows.length; i += 2) {
            long n = (Long) labelRows[i + 1];
            rows.add(RowFactory.create(runId, target, labelRows[i], n, n / 2, 0.5, n / 2, 1.0));
        }
        return spark.createDataFrame(rows, MetricTable.LABEL_COVERAGE.schema());
    }

    private Dataset<Row> read(LakehouseLayout layout, MetricTable table) {
        return spark.read().format("delta").load(layout.uri(table));
    }

    @Test
    void writingARunTwiceLeavesOneCopyTwoRunsCoexistAndHistoryNamesTheRuns() {
        LakehouseLayout layout = layout("");
        DeltaWriter writer = new DeltaWriter(spark, layout);
        long v1 = writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.95, "a", 10L, "b", 20L));
        long v2 = writer.write(MetricTable.LABEL_COVERAGE, "r2", coverage("r2", 0.95, "a", 30L));
        // Re-running r1 (say after a crash) with different results replaces its rows.
        long v3 = writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.95, "a", 11L, "b", 21L, "c", 5L));
        assertTrue(v1 < v2 && v2 < v3);
        List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + layout.labelCoverage() + "`")
                .select("version", "userMetadata").collectAsList();
        assertTrue(history.contains(RowFactory.create(v1, "r1")), history.toString());
        assertTrue(history.contains(RowFactory.create(v2, "r2")), history.toString());
        assertTrue(history.contains(RowFactory.create(v3, "r1")), history.toString());

        Dataset<Row> table = read(layout, MetricTable.LABEL_COVERAGE);
        assertEquals(3, table.filter(col("run_id").equalTo("r1")).count());
        assertEquals(21L, table.filter(col("run_id").equalTo("r1").and(col("label").equalTo("b")))
                .select("rows").head().getLong(0));
        assertEquals(1, table.filter(col("run_id").equalTo("r2")).count());
        assertEquals(4, table.count());

        // A fresh writer (another job) re-running r2 with no rows removes r2's rows only.
        new DeltaWriter(spark, layout).write(MetricTable.LABEL_COVERAGE, "r2",
                spark.createDataFrame(List.of(), MetricTable.LABEL_COVERAGE.schema()));
        assertEquals(3, read(layout, MetricTable.LABEL_COVERAGE).count());
    }

    @Test
    void theTableIsCreatedWithItsExplicitSchemaAndComments() {
        LakehouseLayout layout = layout("");
        Timestamp t = Timestamp.valueOf("2025-01-01 10:00:00");
        Row run = RowFactory.create("r1", null, t, t, "succeeded", "fit", "file:/traces", 3L, 100L, 98L, 2L, 0L,
                60L, 19L, 19L, 42L, "tracer {}", "0.1.0", null, "ok");
        // Columns in another order than the table's are fine: the writer reorders them.
        List<String> reversed = new java.util.ArrayList<>(List.of(MetricTable.RUNS.schema().fieldNames()));
        java.util.Collections.reverse(reversed);
        Dataset<Row> df = spark.createDataFrame(List.of(run), MetricTable.RUNS.schema())
                .selectExpr(reversed.toArray(String[]::new));
        new DeltaWriter(spark, layout).write(MetricTable.RUNS, "r1", df);

        StructType onDisk = DeltaTable.forPath(spark, layout.runs()).toDF().schema();
        assertEquals(List.of(MetricTable.RUNS.schema().fieldNames()), List.of(onDisk.fieldNames()));
        assertEquals("Delta version of the traces read, null when not a Delta table",
                onDisk.apply("traces_version").getComment().get());
        Row detail = spark.sql("DESCRIBE DETAIL " + layout.sqlName(MetricTable.RUNS)).head();
        assertEquals(MetricTable.RUNS.comment(), detail.getAs("description"));
        assertEquals("2", detail.<String, String>getJavaMap(detail.fieldIndex("properties"))
                .get(TableDefinition.SCHEMA_VERSION));
        Row back = read(layout, MetricTable.RUNS).head();
        assertEquals(42L, back.getLong(back.fieldIndex("seed")));
        assertEquals("ok", back.getString(back.fieldIndex("message")));
    }

    @Test
    void aSchemaMismatchNamesTheColumns() {
        DeltaWriter writer = new DeltaWriter(spark, layout(""));
        Dataset<Row> good = coverage("r1", 0.9, "a", 1L);
        Dataset<Row> bad = good.drop("handled").withColumn("extra", col("rows"))
                .withColumn("rows", col("rows").cast(DataTypes.StringType));
        TracerException e = assertThrows(TracerException.class, () -> writer.write(MetricTable.LABEL_COVERAGE, "r1", bad));
        String m = e.getMessage();
        assertTrue(m.contains("label_coverage"), m);
        assertTrue(m.contains("missing columns [handled]"), m);
        assertTrue(m.contains("unexpected columns [extra]"), m);
        assertTrue(m.contains("rows is string, expected bigint"), m);
    }

    @Test
    void rowsOfAnotherRunAreRefused() {
        DeltaWriter writer = new DeltaWriter(spark, layout(""));
        TracerException e = assertThrows(TracerException.class,
                () -> writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r2", 0.9, "a", 1L)));
        assertTrue(e.getMessage().contains("run_id is not 'r1'"), e.getMessage());
    }

    @Test
    void aTableOnDiskWithAnotherSchemaIsRefusedNotAltered() {
        LakehouseLayout layout = layout("");
        spark.range(3).toDF("run_id").selectExpr("cast(run_id as string) run_id").write().format("delta")
                .save(layout.audit());
        Dataset<Row> rows = spark.createDataFrame(List.of(), MetricTable.AUDIT.schema());
        BadInputException e = assertThrows(BadInputException.class,
                () -> new DeltaWriter(spark, layout).write(MetricTable.AUDIT, "r1", rows));
        assertTrue(e.getMessage().contains("missing columns [policy_version, target"), e.getMessage());
        assertEquals(3, read(layout, MetricTable.AUDIT).count());
    }

    @Test
    void unusableRunIdsAreRefused() {
        DeltaWriter writer = new DeltaWriter(spark, layout(""));
        Dataset<Row> rows = coverage("x' OR '1'='1", 0.9, "a", 1L);
        assertThrows(BadInputException.class, () -> writer.write(MetricTable.LABEL_COVERAGE, "x' OR '1'='1", rows));
    }

    /** A two-part prefix (a database) and a three-part one (catalog.schema, the session catalog here). */
    @Test
    void withACatalogPrefixEveryWriteGoesThroughTheNameAndTheDataStaysAtThePath() {
        for (String prefix : List.of("tracer_dw_db", "spark_catalog.tracer_dw_cat")) {
            Path lake = dir.resolve(prefix.replace('.', '_'));
            LakehouseLayout layout = new LakehouseLayout(lake.toUri().toString(), prefix);
            String name = prefix + ".label_coverage";
            DeltaWriter writer = new DeltaWriter(spark, layout);
            long v1 = writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.9, "a", 1L, "b", 2L));
            long v2 = new DeltaWriter(spark, layout).write(MetricTable.LABEL_COVERAGE, "r2", coverage("r2", 0.9, "a", 1L));
            writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.9, "a", 5L));
            assertEquals(2, spark.table(name).count(), prefix);
            assertEquals(5L, spark.table(name).where("run_id = 'r1'").head().<Long>getAs("rows"));
            List<Row> history = spark.sql("DESCRIBE HISTORY " + name).select("version", "userMetadata").collectAsList();
            assertTrue(history.contains(RowFactory.create(v1, "r1")) && history.contains(RowFactory.create(v2, "r2")),
                    history.toString());
            Row detail = spark.sql("DESCRIBE DETAIL " + name).head();
            assertTrue(DeltaWriter.sameLocation(detail.getAs("location"), layout.labelCoverage()),
                    detail.getAs("location") + " vs " + layout.labelCoverage());
            assertEquals(2, read(layout, MetricTable.LABEL_COVERAGE).count(), "the same rows at the path");
            assertEquals("EXTERNAL", spark.sql("DESCRIBE TABLE EXTENDED " + name).where("col_name = 'Type'")
                    .head().getString(1));
            // the readers go through the name too
            LakehouseTables tables = new LakehouseTables(spark, layout);
            assertTrue(tables.exists(MetricTable.LABEL_COVERAGE));
            assertFalse(tables.exists(MetricTable.AUDIT));
            assertEquals(1, tables.runRows(MetricTable.LABEL_COVERAGE, "r1").size());
            TracerException e = assertThrows(TracerException.class,
                    () -> writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r2", 0.9, "a", 1L)));
            assertTrue(e.getMessage().contains("run_id is not 'r1'"), e.getMessage());
        }
    }

    /**
     * The writer reads a table's location, comment and properties from its metadata, not from
     * DESCRIBE DETAIL (which sizes the table); what it reads must be what DESCRIBE DETAIL says, by
     * path and through a catalog name, and the version it reports must be DESCRIBE HISTORY's latest.
     */
    @Test
    void whatTheWriterReadsOfATableIsWhatDescribeDetailSays() {
        for (String prefix : List.of("", "tracer_dw_detail", "spark_catalog.tracer_dw_detail3")) {
            LakehouseLayout layout = new LakehouseLayout(dir.resolve("detail" + prefix.replace('.', '_')).toUri()
                    .toString(), prefix);
            DeltaWriter writer = new DeltaWriter(spark, layout);
            writer.write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.9, "a", 1L));
            long version = writer.write(MetricTable.LABEL_COVERAGE, "r2", coverage("r2", 0.9, "a", 2L));
            String name = layout.sqlName(MetricTable.LABEL_COVERAGE);
            DeltaWriter.Detail read = writer.detail(name);
            Row detail = spark.sql("DESCRIBE DETAIL " + name).head();
            assertTrue(DeltaWriter.sameLocation(read.location(), detail.getAs("location")),
                    prefix + ": " + read.location() + " vs " + detail.getAs("location"));
            assertTrue(DeltaWriter.sameLocation(read.location(), layout.labelCoverage()), prefix + ": " + read.location());
            assertEquals(detail.<String>getAs("description"), read.description(), prefix);
            assertEquals(MetricTable.LABEL_COVERAGE.comment(), read.description(), prefix);
            Map<String, String> described = detail.getJavaMap(detail.fieldIndex("properties"));
            assertFalse(described.isEmpty(), prefix);
            described.forEach((k, v) -> assertEquals(v, read.properties().get(k), prefix + ": property " + k));
            assertEquals(spark.sql("DESCRIBE HISTORY " + name + " LIMIT 1").head().<Long>getAs("version"), version,
                    prefix);
        }
    }

    /** A path-only lakehouse that turns the catalog on: its tables are registered where they are. */
    @Test
    void aPathTableIsRegisteredInPlaceWhenTheCatalogIsTurnedOn() {
        LakehouseLayout paths = layout("");
        new DeltaWriter(spark, paths).write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.9, "a", 1L, "b", 2L));
        LakehouseLayout named = layout("tracer_dw_inplace");
        new DeltaWriter(spark, named).write(MetricTable.LABEL_COVERAGE, "r2", coverage("r2", 0.9, "a", 1L));
        assertEquals(3, spark.table("tracer_dw_inplace.label_coverage").count());
        assertEquals(3, read(paths, MetricTable.LABEL_COVERAGE).count());
    }

    /** DESCRIBE TABLE shows the documented comments; the properties name the writer and schema version. */
    @Test
    void everyTableDescribesItselfWithCommentsAndVersions() {
        {
            LakehouseLayout layout = layout("tracer_dw_describe");
            MetricRows.RunRow row = new MetricRows.RunRow("r1", null, null, null, "succeeded", "fit", "x", null,
                    10L, 8L, 1L, 1L, 5L, 2L, 1L, 42L, "", "dev", null, "ok");
            new DeltaWriter(spark, layout).write(MetricTable.RUNS, "r1",
                    TableRows.toDataFrame(spark, MetricTable.RUNS, List.of(row)));
            String name = layout.sqlName(MetricTable.RUNS);
            Map<String, String> described = new java.util.HashMap<>();
            for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + name).collectAsList()) {
                // a column's comment is in the comment cell; a table's detail ("Comment") in the data_type cell
                described.putIfAbsent(r.getString(0), r.isNullAt(2) || r.getString(2).isEmpty()
                        ? r.getString(1) : r.getString(2));
            }
            for (StructField f : MetricTable.RUNS.schema().fields()) {
                assertEquals(f.getComment().get(), described.get(f.name()), f.name());
            }
            assertEquals(MetricTable.RUNS.comment(), described.get("Comment"));
            Map<String, String> props = properties(name);
            assertEquals("2", props.get(TableDefinition.SCHEMA_VERSION), props.toString());
            assertEquals(io.tracer.CodeVersion.get(), props.get(TableDefinition.WRITER_VERSION));
        }
    }

    /**
     * Schema evolution from this release on: a table this release wrote (schema version n) meets
     * a newer release whose definition adds a column (version n + 1). The newer writer merges the
     * column in with its comment and bumps the version; the rows already there read it as null;
     * this release then refuses the table rather than write without the column.
     */
    @Test
    void aNewerReleaseAddingAColumnMergesItIntoATableThisReleaseWrote() {
        LakehouseLayout layout = layout("");
        TableDefinition current = MetricTable.LABEL_COVERAGE.definition();
        assertEquals(1, current.schemaVersion());
        new DeltaWriter(spark, layout).write(current, "r1", coverage("r1", 0.9, "a", 1L, "b", 2L));

        TableDefinition next = current.withNewColumns(new StructField("handled_share_ci", DataTypes.DoubleType, true,
                org.apache.spark.sql.types.Metadata.empty()).withComment("a column of the next release"));
        Dataset<Row> nextRows = coverage("r2", 0.9, "a", 3L).withColumn("handled_share_ci", functions.lit(0.25));
        new DeltaWriter(spark, layout).write(next, "r2", nextRows);

        Dataset<Row> table = read(layout, MetricTable.LABEL_COVERAGE);
        assertEquals("a column of the next release", table.schema().apply("handled_share_ci").getComment().get());
        assertEquals(0.25, table.where("run_id = 'r2'").head().<Double>getAs("handled_share_ci"));
        assertTrue(table.where("run_id = 'r1'").head().isNullAt(table.schema().fieldIndex("handled_share_ci")));
        assertEquals("2", properties(layout.sqlName(MetricTable.LABEL_COVERAGE)).get(TableDefinition.SCHEMA_VERSION));

        BadInputException e = assertThrows(BadInputException.class, () -> new DeltaWriter(spark, layout)
                .write(MetricTable.LABEL_COVERAGE, "r3", coverage("r3", 0.9, "a", 1L)));
        assertTrue(e.getMessage().contains("schema version 2") && e.getMessage().contains("writes version 1"),
                e.getMessage());
        assertEquals(3, read(layout, MetricTable.LABEL_COVERAGE).count(), "nothing written by the older release");
    }

    private Map<String, String> properties(String sqlName) {
        return spark.sql("DESCRIBE DETAIL " + sqlName).head().getJavaMap(
                spark.sql("DESCRIBE DETAIL " + sqlName).schema().fieldIndex("properties"));
    }

    @Test
    void everyMetricTableAcceptsRowsOfItsOwnSchema() {
        LakehouseLayout layout = layout("");
        DeltaWriter writer = new DeltaWriter(spark, layout);
        for (MetricTable table : MetricTable.values()) {
            Object[] values = new Object[table.schema().size()];
            values[0] = "r1";
            long version = writer.write(table, "r1",
                    spark.createDataFrame(List.of(RowFactory.create(values)), table.schema()));
            assertEquals(1, version, table.tableName() + ": version 0 creates, version 1 writes");
        }
    }

    /**
     * Schema evolution: a runs table written by an older release (without the row-accounting
     * columns) gets them on the next write; its old rows read them as null, and a table with
     * a column this release does not know is still refused.
     */
    @Test
    void aTableFromAnOlderReleaseGainsTheNewColumns() {
        LakehouseLayout layout = layout("");
        String uri = layout.uri(MetricTable.RUNS);
        List<String> added = List.of("rows_duplicates", "rows_train", "rows_selection", "rows_calibration");
        StructType older = new StructType(java.util.Arrays.stream(MetricTable.RUNS.schema().fields())
                .filter(f -> !added.contains(f.name())).toArray(org.apache.spark.sql.types.StructField[]::new));
        spark.sql("CREATE TABLE delta.`" + uri + "` (" + older.toDDL() + ") USING delta");
        // an older release's wording of a comment is brought up to date
        spark.sql("ALTER TABLE delta.`" + uri + "` ALTER COLUMN seed COMMENT 'seed (old wording)'");
        spark.createDataFrame(List.of(RowFactory.create(java.util.stream.Stream.concat(
                java.util.stream.Stream.of((Object) "old-run"),
                java.util.Collections.nCopies(older.size() - 1, null).stream()).toArray())), older)
                .write().format("delta").mode("append").save(uri);

        MetricRows.RunRow row = new MetricRows.RunRow("new-run", null, null, null, "succeeded", "fit", "x", null,
                10L, 8L, 1L, 1L, 5L, 2L, 1L, 42L, "", "dev", null, "ok");
        new DeltaWriter(spark, layout).write(MetricTable.RUNS, "new-run",
                TableRows.toDataFrame(spark, MetricTable.RUNS, List.of(row)));

        Dataset<Row> runs = spark.read().format("delta").load(uri);
        assertEquals(MetricTable.RUNS.schema().size(), runs.schema().size());
        assertEquals(5L, (Long) runs.where(col("run_id").equalTo("new-run")).first().getAs("rows_train"));
        assertTrue(runs.where(col("run_id").equalTo("old-run")).first().isNullAt(
                runs.schema().fieldIndex("rows_train")));
        // the comments came along, as on a table this release created, and the version is recorded
        assertEquals("rows in the train split",
                runs.schema().apply("rows_train").getComment().getOrElse(() -> ""));
        assertEquals("the root seed", runs.schema().apply("seed").getComment().getOrElse(() -> ""));
        assertEquals("2", properties(layout.sqlName(MetricTable.RUNS)).get(TableDefinition.SCHEMA_VERSION));

        spark.sql("ALTER TABLE delta.`" + uri + "` ADD COLUMNS (from_the_future STRING)");
        assertThrows(BadInputException.class, () -> new DeltaWriter(spark, layout).write(MetricTable.RUNS, "new-run",
                TableRows.toDataFrame(spark, MetricTable.RUNS, List.of(row))));
    }

    /**
     * The frontier table gained standalone_pass and sequence_role when only the deployed row
     * became "certified": a frontier table of an older release gets them, old rows read null.
     */
    @Test
    void aFrontierTableFromBeforeTheSequenceGainsItsColumns() {
        LakehouseLayout layout = layout("");
        String uri = layout.uri(MetricTable.FRONTIER);
        List<String> added = MetricTables.addedSinceFirstRelease(MetricTables.FRONTIER);
        assertEquals(List.of("standalone_pass", "sequence_role"), added);
        StructType older = new StructType(java.util.Arrays.stream(MetricTable.FRONTIER.schema().fields())
                .filter(f -> !added.contains(f.name())).toArray(org.apache.spark.sql.types.StructField[]::new));
        spark.sql("CREATE TABLE delta.`" + uri + "` (" + older.toDDL() + ") USING delta");
        spark.createDataFrame(List.of(RowFactory.create(java.util.stream.Stream.concat(
                java.util.stream.Stream.of((Object) "old-run"),
                java.util.Collections.nCopies(older.size() - 1, null).stream()).toArray())), older)
                .write().format("delta").mode("append").save(uri);

        MetricRows.FrontierRow row = new MetricRows.FrontierRow("new-run", 0.9, 0.05, "l2d", "lr", "top1", true, true,
                0.7, 0.6, 0.95, 0.93, 0.01, 600L, 570L, 1000L, 0.58, null, true, "lead,selected");
        new DeltaWriter(spark, layout).write(MetricTable.FRONTIER, "new-run",
                TableRows.toDataFrame(spark, MetricTable.FRONTIER, List.of(row)));
        Dataset<Row> frontier = spark.read().format("delta").load(uri);
        assertEquals(MetricTable.FRONTIER.schema().size(), frontier.schema().size());
        assertEquals("lead,selected", frontier.where(col("run_id").equalTo("new-run")).first().getAs("sequence_role"));
        assertTrue(frontier.where(col("run_id").equalTo("old-run")).first().isNullAt(
                frontier.schema().fieldIndex("standalone_pass")));
    }

    /**
     * Several tables at once: every one is written; when one write fails, the others still
     * finish before the failure is thrown, and the failure is that write's own.
     */
    @Test
    void writeAllWritesEveryTableAndThrowsAFailureOnlyOnceTheOthersEnded() {
        LakehouseLayout layout = layout("");
        DeltaWriter writer = new DeltaWriter(spark, layout);
        MetricRows.FrontierRow row = new MetricRows.FrontierRow("r1", 0.9, 0.05, "l2d", "lr", "top1", true, true,
                0.7, 0.6, 0.95, 0.93, 0.01, 600L, 570L, 1000L, 0.58, null, true, "lead,selected");
        writer.writeAll("r1", List.of(
                new DeltaWriter.Pending(MetricTable.LABEL_COVERAGE, () -> coverage("r1", 0.95, "a", 10L, "b", 20L)),
                new DeltaWriter.Pending(MetricTable.FRONTIER,
                        () -> TableRows.toDataFrame(spark, MetricTable.FRONTIER, List.of(row)))));
        assertEquals(2, read(layout, MetricTable.LABEL_COVERAGE).count());
        assertEquals(1, read(layout, MetricTable.FRONTIER).count());

        // The first write is handed rows of the wrong shape; the second, slower to compute, still lands.
        TracerException e = assertThrows(TracerException.class, () -> writer.writeAll("r2", List.of(
                new DeltaWriter.Pending(MetricTable.FRONTIER, () -> coverage("r2", 0.9, "a", 1L)),
                new DeltaWriter.Pending(MetricTable.LABEL_COVERAGE, () -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException ie) {
                        throw new IllegalStateException(ie);
                    }
                    return coverage("r2", 0.95, "c", 7L);
                }))));
        assertTrue(e.getMessage().contains("frontier"), e.getMessage());
        assertEquals(1, read(layout, MetricTable.LABEL_COVERAGE).where(col("run_id").equalTo("r2")).count());
        assertEquals(0, read(layout, MetricTable.FRONTIER).where(col("run_id").equalTo("r2")).count());
    }

    /**
     * Two runs creating one table: Delta finds no table, the other run commits the table's first
     * version, then Delta finds the location not empty. The loser must retry and write to the
     * table the other run made. With a catalog name the window is held open here: a log directory
     * without a commit (the other run between creating the log and committing) makes every
     * attempt lose until the commit appears.
     */
    @Test
    void aRunThatLosesTheRaceToCreateATableWritesToTheTableTheOtherRunCreated() throws Exception {
        LakehouseLayout winner = layout("");
        new DeltaWriter(spark, winner).write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.9, "a", 1L));
        Path lake = dir.resolve("loser");
        LakehouseLayout loser = new LakehouseLayout(lake.toUri().toString(), "tracer_dw_race");
        Path log = Path.of(java.net.URI.create(loser.labelCoverage())).resolve("_delta_log");
        java.nio.file.Files.createDirectories(log);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Long> write = pool.submit(() -> new DeltaWriter(spark, loser)
                    .write(MetricTable.LABEL_COVERAGE, "r2", coverage("r2", 0.9, "b", 2L)));
            Thread.sleep(1500);
            // the other run's commit lands: its first version, moved in whole as a commit is
            Path commit = Path.of(java.net.URI.create(winner.labelCoverage()))
                    .resolve("_delta_log/00000000000000000000.json");
            Path staged = dir.resolve("commit.json");
            java.nio.file.Files.copy(commit, staged);
            java.nio.file.Files.move(staged, log.resolve(commit.getFileName()),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            write.get(2, java.util.concurrent.TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        List<Row> rows = spark.table("tracer_dw_race.label_coverage").select("run_id", "label").collectAsList();
        assertEquals(List.of(RowFactory.create("r2", "b")), rows);
    }

    /**
     * Files that are not a Delta table where a metric table belongs are refused at once, named,
     * not waited on as if another run were creating the table there.
     */
    @Test
    void aLocationHoldingFilesThatAreNotATableIsRefusedNamingThem() throws Exception {
        for (String database : List.of("", "tracer_dw_foreign")) {
            LakehouseLayout layout = new LakehouseLayout(dir.resolve("f" + database).toUri().toString(), database);
            Path location = Path.of(java.net.URI.create(layout.labelCoverage()));
            java.nio.file.Files.createDirectories(location);
            java.nio.file.Files.writeString(location.resolve("notes.txt"), "someone else's");
            BadInputException e = assertThrows(BadInputException.class, () -> new DeltaWriter(spark, layout)
                    .write(MetricTable.LABEL_COVERAGE, "r1", coverage("r1", 0.9, "a", 1L)));
            assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("no _delta_log")
                    && e.getMessage().contains(location.getFileName().toString()), e.getMessage());
            assertEquals(List.of("notes.txt"), java.util.Arrays.stream(location.toFile().list()).sorted().toList(),
                    "nothing written beside them");
        }
    }
}
