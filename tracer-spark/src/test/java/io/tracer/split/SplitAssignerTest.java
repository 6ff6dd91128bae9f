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
    static final TracerConfig.Split SHARES = new TracerConfig.Split(0.6, 0.2, 0.2, 10, "hash", "trace-id");
    static final TracerConfig.Split BY_TIME = new TracerConfig.Split(0.6, 0.2, 0.2, 10, "time", "trace-id");
    static final TracerConfig.Split BY_INPUT = new TracerConfig.Split(0.6, 0.2, 0.2, 10, "hash", "input");
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

    /**
     * group-by = input: a query logged twice under two ids (and any spelling that normalises to
     * the same text) lands in one split, whatever its ids and teacher labels; distinct texts still
     * split about 60/20/20.
     */
    @Test
    void groupingByInputPutsEveryCopyOfATextInOneSplit() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> base = spark.range(3000)
                .withColumn(Columns.TRACE_ID, concat(lit("a-"), col("id").cast("string")))
                .withColumn(Columns.INPUT, concat(lit("Query number "), col("id").cast("string")))
                .withColumn(Columns.TEACHER, concat(lit("l"), org.apache.spark.sql.functions.pmod(col("id"), lit(5))
                        .cast("string")))
                .drop("id");
        // retries: the first 600 queries again, under other ids, other spacing and case, some relabelled
        Dataset<Row> retries = base.limit(600)
                .withColumn(Columns.TRACE_ID, concat(lit("retry-"), col(Columns.TRACE_ID)))
                .withColumn(Columns.INPUT, concat(lit("  "), org.apache.spark.sql.functions.upper(
                        org.apache.spark.sql.functions.regexp_replace(col(Columns.INPUT), " ", "   ")), lit(" ")))
                .withColumn(Columns.TEACHER, when(org.apache.spark.sql.functions.length(col(Columns.TRACE_ID)).lt(10),
                        lit("other")).otherwise(col(Columns.TEACHER)));
        Dataset<Row> all = base.unionByName(retries);
        Map<String, String> byId = splitById(new SplitAssigner(BY_INPUT, 42).assign(all));
        assertEquals(3600, byId.size());
        int differ = 0;
        for (int i = 0; i < 600; i++) {
            String original = byId.get("a-" + i);
            differ += original.equals(byId.get("retry-a-" + i)) ? 0 : 1;
        }
        assertEquals(0, differ, "a retry lands in its original's split");
        // by trace id (the default), retries scatter
        Map<String, String> plain = splitById(new SplitAssigner(SHARES, 42).assign(all));
        int scattered = 0;
        for (int i = 0; i < 600; i++) {
            scattered += plain.get("a-" + i).equals(plain.get("retry-a-" + i)) ? 0 : 1;
        }
        assertTrue(scattered > 200, "by id, " + scattered + " of 600 retries land elsewhere");
        long cal = byId.values().stream().filter(Columns.CALIBRATION::equals).count();
        assertTrue(Math.abs(cal / 3600.0 - 0.2) < 0.03, "calibration share " + cal / 3600.0);
        assertEquals(byId, splitById(new SplitAssigner(BY_INPUT, 42).assign(all.repartition(5))));
    }

    /**
     * order = time: training takes the oldest 60%, selection and calibration the newest 40%
     * (about half each, every label spread over both); rows without a timestamp count as the
     * oldest; without a timestamp column the option is refused by name.
     */
    @Test
    void orderingByTimeGivesTheNewestRowsToSelectionAndCalibration() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> rows = spark.range(2000)
                .withColumn(Columns.TRACE_ID, concat(lit("t-"), col("id").cast("string")))
                .withColumn(Columns.TEACHER, concat(lit("l"), org.apache.spark.sql.functions.pmod(col("id"), lit(4))
                        .cast("string")))
                // ids are shuffled against time: time = a hash of the id
                .withColumn(Columns.TIMESTAMP, when(col("id").lt(20), lit(null).cast("timestamp"))
                        .otherwise(org.apache.spark.sql.functions.timestamp_seconds(
                                org.apache.spark.sql.functions.pmod(org.apache.spark.sql.functions.xxhash64(col("id")),
                                        lit(100_000_000L)))))
                .drop("id");
        Dataset<Row> assigned = new SplitAssigner(BY_TIME, 42).assign(rows).cache();
        Row train = assigned.where(col(Columns.SPLIT).equalTo(Columns.TRAIN))
                .agg(org.apache.spark.sql.functions.max(Columns.TIMESTAMP), org.apache.spark.sql.functions.count(lit(1)))
                .first();
        Row recent = assigned.where(col(Columns.SPLIT).notEqual(Columns.TRAIN))
                .agg(org.apache.spark.sql.functions.min(Columns.TIMESTAMP), org.apache.spark.sql.functions.count(lit(1)))
                .first();
        assertEquals(1200, train.getLong(1));
        assertEquals(800, recent.getLong(1));
        assertTrue(train.getTimestamp(0).before(recent.getTimestamp(0)), "every train row is older");
        assertEquals(20, assigned.where(col(Columns.TIMESTAMP).isNull().and(col(Columns.SPLIT).equalTo(Columns.TRAIN)))
                .count(), "no timestamp: the oldest");
        for (String split : List.of(Columns.SELECTION, Columns.CALIBRATION)) {
            List<Row> perLabel = assigned.where(col(Columns.SPLIT).equalTo(split)).groupBy(Columns.TEACHER).count()
                    .collectAsList();
            assertEquals(4, perLabel.size(), split + " has every label");
            long n = perLabel.stream().mapToLong(r -> r.getLong(1)).sum();
            assertTrue(Math.abs(n - 400) <= 4, split + ": " + n);
        }
        assertEquals(splitById(assigned), splitById(new SplitAssigner(BY_TIME, 42).assign(rows.repartition(3))));
        assigned.unpersist();
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SplitAssigner(BY_TIME, 42).assign(traces));
        assertTrue(e.getMessage().contains("tracer.split.order"), e.getMessage());
    }
}
