package io.tracer.split;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitAssignerTest {
    static final TracerConfig.Split SHARES = new TracerConfig.Split(0.6, 0.2, 0.2, 10);
    /** Label sizes: three stratified (one exactly at the threshold), three rare. */
    static final Map<String, Integer> SIZES = Map.of(
            "big", 1000, "mid", 237, "small", 55, "edge", 10, "rare9", 9, "rare1", 1);
    static final int TOTAL = SIZES.values().stream().mapToInt(Integer::intValue).sum();

    static Dataset<Row> traces;

    @BeforeAll
    static void data() {
        traces = traces(SparkTestSession.get());
    }

    /** Contiguous id ranges per label, so labels have exactly SIZES rows. */
    static Dataset<Row> traces(SparkSession spark) {
        String[] order = {"big", "mid", "small", "edge", "rare9", "rare1"};
        org.apache.spark.sql.Column label = null;
        long upper = 0;
        for (String name : order) {
            upper += SIZES.get(name);
            label = label == null ? when(col("id").lt(upper), name) : label.when(col("id").lt(upper), name);
        }
        return spark.range(TOTAL)
                .withColumn(Columns.TRACE_ID, concat(lit("t-"), col("id").cast("string")))
                .withColumn(Columns.TEACHER, label)
                .drop("id");
    }

    static Map<String, String> splitById(Dataset<Row> assigned) {
        Map<String, String> out = new HashMap<>();
        for (Row r : assigned.select(Columns.TRACE_ID, Columns.SPLIT).collectAsList()) {
            out.put(r.getString(0), r.getString(1));
        }
        return out;
    }

    @Test
    void sameSeedGivesSameSplitAcrossRunsAndPartitionings() {
        Map<String, String> one = splitById(new SplitAssigner(SHARES, 42).assign(traces.repartition(1)));
        Map<String, String> seven = splitById(new SplitAssigner(SHARES, 42).assign(traces.repartition(7)));
        Map<String, String> again = splitById(new SplitAssigner(SHARES, 42).assign(traces.repartition(7)));
        assertEquals(TOTAL, one.size());
        assertEquals(one, seven);
        assertEquals(seven, again);
    }

    @Test
    void sameSplitAfterDeltaRoundTripInAnotherOrder(@TempDir Path dir) {
        String uri = dir.resolve("traces").toUri().toString();
        traces.orderBy(col(Columns.TRACE_ID).desc()).repartition(3).write().format("delta").save(uri);
        Dataset<Row> reread = SparkTestSession.get().read().format("delta").load(uri);
        assertEquals(splitById(new SplitAssigner(SHARES, 42).assign(traces)),
                splitById(new SplitAssigner(SHARES, 42).assign(reread)));
    }

    @Test
    void differentSeedChangesTheSplit() {
        Map<String, String> a = splitById(new SplitAssigner(SHARES, 42).assign(traces));
        Map<String, String> b = splitById(new SplitAssigner(SHARES, 43).assign(traces));
        long moved = a.keySet().stream().filter(id -> !a.get(id).equals(b.get(id))).count();
        // Two independent 60/20/20 draws disagree on about 1 - (0.36 + 0.04 + 0.04) = 56% of rows.
        assertTrue(moved > TOTAL * 0.4, "only " + moved + " of " + TOTAL + " rows moved");
    }

    @Test
    void stratifiedLabelsMatchTheSharesWithinOneRow() {
        Dataset<Row> assigned = new SplitAssigner(SHARES, 7).assign(traces);
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (Row r : assigned.groupBy(Columns.TEACHER, Columns.SPLIT).count().collectAsList()) {
            counts.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1), r.getLong(2));
        }
        for (String label : List.of("big", "mid", "small", "edge")) {
            int n = SIZES.get(label);
            Map<String, Long> c = counts.get(label);
            assertWithinOneRow(label, Columns.TRAIN, c, SHARES.train() * n);
            assertWithinOneRow(label, Columns.SELECTION, c, SHARES.selection() * n);
            assertWithinOneRow(label, Columns.CALIBRATION, c, SHARES.calibration() * n);
        }
    }

    private static void assertWithinOneRow(String label, String split, Map<String, Long> c, double expected) {
        long got = c.getOrDefault(split, 0L);
        assertTrue(Math.abs(got - expected) <= 1.0,
                label + "/" + split + ": " + got + " rows, expected " + expected + " within one row");
    }

    @Test
    void everyRowIsAssignedExactlyOnceToAKnownSplit() {
        Dataset<Row> assigned = new SplitAssigner(SHARES, 42).assign(traces);
        assertEquals(TOTAL, assigned.count());
        assertEquals(TOTAL, assigned.select(Columns.TRACE_ID).distinct().count());
        assertEquals(0, assigned.filter(col(Columns.SPLIT).isNull()
                .or(col(Columns.SPLIT).isin(Columns.TRAIN, Columns.SELECTION, Columns.CALIBRATION).unary_$bang()))
                .count());
        assertEquals(Set.of(Columns.TRACE_ID, Columns.TEACHER, Columns.SPLIT), Set.of(assigned.columns()));
    }

    @Test
    void manyRareLabelsDoNotThrowAndFollowTheSharesOnAverage() {
        SparkSession spark = SparkTestSession.get();
        // 3000 labels of one row each: all below min-stratified-rows, assigned by the hash alone.
        Dataset<Row> rare = spark.range(3000)
                .withColumn(Columns.TRACE_ID, concat(lit("r-"), col("id").cast("string")))
                .withColumn(Columns.TEACHER, concat(lit("l"), col("id").cast("string")))
                .drop("id");
        SplitAssigner assigner = new SplitAssigner(SHARES, 42);
        SplitSummary s = assigner.summarize(assigner.assign(rare));
        assertEquals(3000, s.totalRows());
        assertEquals(0, s.stratifiedLabels());
        assertEquals(3000, s.unstratifiedLabels());
        // Binomial sd for 3000 x 0.6 is about 27 rows; 4 sd of slack.
        assertTrue(Math.abs(s.trainRows() - 1800) < 110, "train " + s.trainRows());
        assertTrue(Math.abs(s.selectionRows() - 600) < 90, "selection " + s.selectionRows());
        assertTrue(Math.abs(s.calibrationRows() - 600) < 90, "calibration " + s.calibrationRows());
    }

    @Test
    void summaryRecordsSeedsSharesAndCounts() {
        SplitAssigner assigner = new SplitAssigner(SHARES, 42);
        Dataset<Row> assigned = assigner.assign(traces);
        SplitSummary s = assigner.summarize(assigned);
        assertEquals(42, s.rootSeed());
        assertEquals(io.tracer.Seeds.derive(42, "split"), s.seed());
        assertNotEquals(s.seed(), new SplitAssigner(SHARES, 43).seed());
        assertEquals(SHARES, s.shares());
        assertEquals(TOTAL, s.totalRows());
        assertEquals(assigned.filter(col(Columns.SPLIT).equalTo(Columns.TRAIN)).count(), s.trainRows());
        assertEquals(assigned.filter(col(Columns.SPLIT).equalTo(Columns.SELECTION)).count(), s.selectionRows());
        assertEquals(4, s.stratifiedLabels());
        assertEquals(2, s.unstratifiedLabels());
    }

    @Test
    void missingTeacherColumnIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SplitAssigner(SHARES, 42).assign(traces.drop(Columns.TEACHER)));
        assertTrue(e.getMessage().contains(Columns.TEACHER), e.getMessage());
    }
}
