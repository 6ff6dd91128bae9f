package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.route.RouteColumns;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HindsightCoverageTest {
    private static final StructType SCHEMA = new StructType()
            .add(Columns.TEACHER, DataTypes.StringType)
            .add(RouteColumns.SURROGATE_LABEL, DataTypes.StringType)
            .add(RouteColumns.SCORE, DataTypes.DoubleType)
            .add(RouteColumns.DECISION, DataTypes.StringType)
            .add(RouteColumns.REASON, DataTypes.StringType);

    /** A row routed with every threshold open: handled, teacher "a", the surrogate right or wrong. */
    private static Row scored(double score, boolean right) {
        return RowFactory.create("a", right ? "a" : "b", score, RouteColumns.HANDLED, null);
    }

    /** A row deferred whatever the threshold; the router gives it no label. */
    private static Row deferred(Double score, String reason) {
        return RowFactory.create("a", null, score, RouteColumns.DEFERRED, reason);
    }

    @Test
    void theBestThresholdOnTheRowsThemselvesNeedNotBeTheMostLenient() {
        SparkSession spark = SparkTestSession.get();
        // Ten scored rows, best first: right, right, wrong, right x 5, wrong, right; in hindsight
        // the top eight agree on 7 of 8.
        boolean[] right = {true, true, false, true, true, true, true, true, false, true};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < right.length; i++) {
            rows.add(scored(1.0 - i * 0.05, right[i]));
        }
        // Two rows the OOD gate deferred and one the router could not score: a threshold
        // never reaches them, however high their score.
        rows.add(deferred(2.0, RouteColumns.OUT_OF_DISTRIBUTION));
        rows.add(deferred(2.0, RouteColumns.OUT_OF_DISTRIBUTION));
        rows.add(deferred(null, "router_unscorable"));
        Dataset<Row> routed = spark.createDataFrame(rows, SCHEMA);

        // 13 rows: the top 8 (7 agree, 0.875) and the top 2 (1.0) meet 0.85; 8 / 13 is the best
        assertEquals(8.0 / 13, HindsightCoverage.of(routed, 0.85), 1e-12);
        // 0.9: the top 8 fall short, the top 10 (8 of 10) too; only the top 2 meet it
        assertEquals(2.0 / 13, HindsightCoverage.of(routed, 0.9), 1e-12);
        // 0.8: all ten scored rows (8 of 10) meet it, the deferred three stay out
        assertEquals(10.0 / 13, HindsightCoverage.of(routed, 0.8), 1e-12);
    }

    @Test
    void rowsDeferredForAnotherReasonThanTheScoreStayDeferred() {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(scored(0.5 + i * 0.1, true));
        }
        rows.add(deferred(0.99, RouteColumns.OUT_OF_DISTRIBUTION));
        Dataset<Row> routed = spark.createDataFrame(rows, SCHEMA);
        double hindsight = HindsightCoverage.of(routed, 0.95);
        assertEquals(4.0 / 5, hindsight, 1e-12);
        assertTrue(hindsight < 1.0, "an OOD-deferred row was counted as reachable");
    }

    @Test
    void aTargetThatDeploysNothingHasNoFigure() {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = List.of(deferred(null, RouteColumns.NO_POLICY), deferred(null, RouteColumns.NO_POLICY));
        assertTrue(Double.isNaN(HindsightCoverage.of(spark.createDataFrame(rows, SCHEMA), 0.95)));
    }

    @Test
    void nothingMeetsTheTargetReadsZero() {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = List.of(scored(0.9, false), scored(0.8, false), scored(0.7, true));
        // the best any threshold reaches is 1 of 3 (the 0.7 row alone is not a prefix)
        assertEquals(0.0, HindsightCoverage.of(spark.createDataFrame(rows, SCHEMA), 0.9), 1e-12);
    }
}
