package io.tracer.update;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.embed.EncoderInfo;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

/** Merging into the trace history, without a fit. */
class HistoryTableTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Dataset<Row> traces;

    @BeforeAll
    static void traces() {
        spark = SparkTestSession.get();
        traces = new SyntheticTraceGenerator(spark).generate(SyntheticSpec.of(80, 8, 4, 0.0, 0.0, 3))
                .drop(SyntheticTraceGenerator.IS_OOD).cache();
    }

    @Test
    void mergingTheSameRowsAgainAddsNothingAndKeepsTheStoredRow() {
        HistoryTable h = new HistoryTable(spark, uri("again"));
        Dataset<Row> first50 = traces.where(col(Columns.TRACE_ID).isin(ids(0, 50)));
        MergeResult first = h.merge(first50, "m1", "file:/a");
        assertEquals(new MergeResult(50, 50, 0, 50, first.deltaVersion(), true), first);

        MergeResult same = h.merge(first50, "m2", "file:/a");
        assertEquals(0, same.inserted());
        assertEquals(50, same.alreadyPresent());
        assertEquals(50, same.historyRows());
        assertFalse(same.created());

        // 30..79 with other teacher labels: 30 new ids added, the 20 known ones keep their first row
        Dataset<Row> relabelled = traces.where(col(Columns.TRACE_ID).isin(ids(30, 80)))
                .withColumn(Columns.TEACHER, lit("relabelled"));
        MergeResult more = h.merge(relabelled, "m3", "file:/b");
        assertEquals(new MergeResult(50, 30, 20, 80, more.deltaVersion(), false), more);
        Dataset<Row> stored = h.read();
        assertEquals(80, stored.select(Columns.TRACE_ID).distinct().count());
        assertEquals(50, stored.where(col(HistoryTable.ADDED_BY_RUN_ID).equalTo("m1")
                .and(col(HistoryTable.SOURCE_URI).equalTo("file:/a"))
                .and(col(Columns.TEACHER).notEqual("relabelled"))).count());
        assertEquals(30, stored.where(col(HistoryTable.ADDED_BY_RUN_ID).equalTo("m3")
                .and(col(Columns.TEACHER).equalTo("relabelled"))).count());
        assertEquals(0, stored.where(col(HistoryTable.ADDED_BY_RUN_ID).equalTo("m2")).count());
        assertEquals(80, stored.where(col(HistoryTable.ADDED_AT).isNotNull()).count());
        assertEquals("run m3: merge traces from file:/b",
                DeltaTable.forPath(spark, h.uri()).history(1).select("userMetadata").head().getString(0));
        // the stored vectors keep their encoder, so a fit on the history does not re-embed
        assertEquals(new EncoderInfo(SyntheticTraceGenerator.ENCODER_ID, 8), h.encoder().orElseThrow());
        assertEquals(h.encoder(), EncoderInfo.of(stored));
    }

    /** Rows that repeat a trace id (as a recomputed embedding join once gave) are merged once. */
    @Test
    void aTraceIdTheNewRowsRepeatIsMergedOnce() {
        HistoryTable h = new HistoryTable(spark, uri("repeats"));
        h.merge(traces.where(col(Columns.TRACE_ID).isin(ids(0, 20))), "r1", "file:/a");
        Dataset<Row> twice = traces.where(col(Columns.TRACE_ID).isin(ids(10, 40)));
        MergeResult r = h.merge(twice.union(twice.where(col(Columns.TRACE_ID).isin(ids(25, 35)))), "r2", "file:/b");
        assertEquals(new MergeResult(30, 20, 10, 40, r.deltaVersion(), false), r);
        assertEquals(40, h.read().count());
        assertEquals(40, h.read().select(Columns.TRACE_ID).distinct().count());
    }

    @Test
    void vectorsFromAnotherEncoderAreRefused() {
        HistoryTable h = new HistoryTable(spark, uri("encoder"));
        h.merge(traces.limit(5), "e1", "file:/a");
        BadInputException e = assertThrows(BadInputException.class,
                () -> h.requireEncoder(new EncoderInfo("all-minilm-l6-v2-q", 384)));
        assertTrue(e.getMessage().contains(SyntheticTraceGenerator.ENCODER_ID), e.getMessage());
        Dataset<Row> other = new EncoderInfo("other-encoder", 8).tag(traces.limit(5));
        assertThrows(BadInputException.class, () -> h.merge(other, "e2", "file:/b"));
        assertEquals(5, h.read().count());

        // A history of a built-in encoder's vectors names the setting that keeps it.
        HistoryTable bge = new HistoryTable(spark, uri("encoder-bge"));
        bge.merge(BuiltInEncoder.BGE_SMALL.info().tag(traces.limit(5)), "b1", "file:/c");
        BadInputException switched = assertThrows(BadInputException.class,
                () -> bge.requireEncoder(BuiltInEncoder.MINILM.info()));
        assertTrue(switched.getMessage().contains("set tracer.embed.encoder = bge-small-en-v1.5-q"),
                switched.getMessage());
    }

    @Test
    void rowsWithoutVectorsAndForeignDirectoriesAreRefused() throws Exception {
        HistoryTable h = new HistoryTable(spark, uri("novectors"));
        BadInputException noVectors = assertThrows(BadInputException.class,
                () -> h.merge(traces.drop(Columns.EMBEDDING), "n1", "file:/a"));
        assertTrue(noVectors.getMessage().contains("embed"), noVectors.getMessage());
        assertFalse(h.exists());

        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("data.csv"), "a,b\n1,2\n");
        HistoryTable f = new HistoryTable(spark, foreign.toUri().toString());
        BadInputException notDelta = assertThrows(BadInputException.class, () -> f.merge(traces, "n2", "file:/a"));
        assertTrue(notDelta.getMessage().contains("not a Delta table"), notDelta.getMessage());
    }

    private static Object[] ids(int from, int to) {
        Object[] out = new Object[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = "syn-" + i;
        }
        return out;
    }

    private static String uri(String name) {
        return dir.resolve(name).toUri().toString();
    }
}
