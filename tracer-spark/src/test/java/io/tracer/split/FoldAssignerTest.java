package io.tracer.split;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldAssignerTest {
    static Dataset<Row> split;

    @BeforeAll
    static void data() {
        SparkTestSession.get();
        split = new SplitAssigner(SplitAssignerTest.SHARES, 42).assign(SplitAssignerTest.traces(SparkTestSession.get()));
    }

    static Map<String, Integer> foldById(Dataset<Row> folded) {
        Map<String, Integer> out = new HashMap<>();
        for (Row r : folded.filter(col(Columns.FOLD).isNotNull()).select(Columns.TRACE_ID, Columns.FOLD).collectAsList()) {
            out.put(r.getString(0), r.getInt(1));
        }
        return out;
    }

    @Test
    void foldsAreBalancedPerLabelAndOnlyOnTrainRows() {
        Dataset<Row> folded = new FoldAssigner(3, 42).assign(split);
        assertEquals(0, folded.filter(col(Columns.SPLIT).equalTo(Columns.TRAIN)
                .and(col(Columns.FOLD).isNull().or(col(Columns.FOLD).lt(0)).or(col(Columns.FOLD).gt(2)))).count());
        assertEquals(0, folded.filter(col(Columns.SPLIT).notEqual(Columns.TRAIN)
                .and(col(Columns.FOLD).isNotNull())).count());

        Map<String, long[]> perLabel = new HashMap<>();
        for (Row r : folded.filter(col(Columns.FOLD).isNotNull())
                .groupBy(Columns.TEACHER, Columns.FOLD).count().collectAsList()) {
            perLabel.computeIfAbsent(r.getString(0), k -> new long[3])[r.getInt(1)] = r.getLong(2);
        }
        for (Map.Entry<String, long[]> e : perLabel.entrySet()) {
            long[] c = e.getValue();
            long max = Math.max(c[0], Math.max(c[1], c[2]));
            long min = Math.min(c[0], Math.min(c[1], c[2]));
            assertTrue(max - min <= 1, e.getKey() + " folds " + java.util.Arrays.toString(c));
        }
        assertTrue(perLabel.get("big")[0] >= 199, "big label spread over folds");
    }

    @Test
    void foldsAreReproducibleAcrossPartitioningsAndChangeWithTheSeed() {
        Map<String, Integer> one = foldById(new FoldAssigner(3, 42).assign(split.repartition(1)));
        Map<String, Integer> seven = foldById(new FoldAssigner(3, 42).assign(split.repartition(7)));
        assertEquals(one, seven);
        assertTrue(one.size() > 700);
        Map<String, Integer> other = foldById(new FoldAssigner(3, 43).assign(split));
        long moved = one.keySet().stream().filter(id -> !one.get(id).equals(other.get(id))).count();
        assertTrue(moved > one.size() / 2, "only " + moved + " rows changed fold");
    }

    @Test
    void foldSeedDiffersFromSplitSeed() {
        assertTrue(new FoldAssigner(3, 42).seed() != new SplitAssigner(SplitAssignerTest.SHARES, 42).seed());
    }

    @Test
    void fewerThanTwoFoldsIsBadInput() {
        assertThrows(BadInputException.class, () -> new FoldAssigner(1, 42));
    }
}
