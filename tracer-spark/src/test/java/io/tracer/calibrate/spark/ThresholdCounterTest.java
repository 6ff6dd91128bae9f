package io.tracer.calibrate.spark;

import io.tracer.BadInputException;
import io.tracer.calibrate.Certification;
import io.tracer.calibrate.FixedSequence;
import io.tracer.calibrate.QuantileGrid;
import io.tracer.calibrate.StartPoint;
import io.tracer.calibrate.ThresholdCounts;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdCounterTest {
    private static final int N = 6000;
    private static final StructType SCHEMA = new StructType()
            .add("trace_id", DataTypes.StringType)
            .add("split", DataTypes.StringType)
            .add("accept_score", DataTypes.DoubleType, true)
            .add("agree", DataTypes.DoubleType, true);

    private static SparkSession spark;
    private static Dataset<Row> data;
    /** Plain-Java copies of the selection and calibration rows (null score -> NaN). */
    private static double[] selScores;
    private static boolean[] selAgree;
    private static double[] calScores;
    private static boolean[] calAgree;

    @BeforeAll
    static void data() {
        spark = SparkTestSession.get();
        SplittableRandom rng = new SplittableRandom(7);
        List<Row> rows = new ArrayList<>();
        List<Double> ss = new ArrayList<>();
        List<Boolean> sa = new ArrayList<>();
        List<Double> cs = new ArrayList<>();
        List<Boolean> ca = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String split = i % 2 == 0 ? "selection" : "calibration";
            double u = rng.nextDouble();
            // Rounded to 3 places: plenty of ties, and some land exactly on grid values.
            Double score = Math.round(u * 1000) / 1000.0;
            if (i % 97 == 0) {
                score = Double.NaN;
            } else if (i % 89 == 0) {
                score = null;
            } else if (i % 83 == 0) {
                score = -0.0;
            }
            boolean agree = rng.nextDouble() < 0.8 + 0.2 * u;
            rows.add(RowFactory.create("t" + i, split, score, agree ? 1.0 : 0.0));
            double s = score == null ? Double.NaN : score;
            (split.equals("selection") ? ss : cs).add(s);
            (split.equals("selection") ? sa : ca).add(agree);
        }
        data = spark.createDataFrame(rows, SCHEMA);
        selScores = ss.stream().mapToDouble(Double::doubleValue).toArray();
        calScores = cs.stream().mapToDouble(Double::doubleValue).toArray();
        selAgree = toArray(sa);
        calAgree = toArray(ca);
    }

    private static boolean[] toArray(List<Boolean> l) {
        boolean[] a = new boolean[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static Dataset<Row> split(String name, int partitions) {
        Dataset<Row> d = data.where(col("split").equalTo(name));
        return partitions == 1 ? d.coalesce(1) : d.repartition(partitions);
    }

    @Test
    void oneAndEightPartitionsGiveIdenticalCountsGridAndCertificate() {
        assertEquals(8, split("selection", 8).javaRDD().getNumPartitions());
        assertEquals(1, split("selection", 1).javaRDD().getNumPartitions());
        double[] grid1 = ThresholdGrid.fromScores(split("selection", 1), "accept_score", 200);
        double[] grid8 = ThresholdGrid.fromScores(split("selection", 8), "accept_score", 200);
        assertArrayEquals(grid1, grid8);
        assertArrayEquals(QuantileGrid.fromScores(selScores, 200), grid1);
        assertEquals(0.0, grid1[grid1.length - 1], "the grid reaches the minimum score");

        ThresholdCounts sel1 = ThresholdCounter.count(split("selection", 1), "accept_score", "agree", grid1);
        ThresholdCounts sel8 = ThresholdCounter.count(split("selection", 8), "accept_score", "agree", grid1);
        ThresholdCounts cal1 = ThresholdCounter.count(split("calibration", 1), "accept_score", "agree", grid1);
        ThresholdCounts cal8 = ThresholdCounter.count(split("calibration", 8), "accept_score", "agree", grid1);
        assertEquals(sel1, sel8);
        assertEquals(cal1, cal8);
        // Bit for bit the plain-Java recount.
        assertEquals(ThresholdCounts.count(grid1, selScores, selAgree), sel1);
        assertEquals(ThresholdCounts.count(grid1, calScores, calAgree), cal1);

        Certification c1 = certify(sel1, cal1);
        Certification c8 = certify(sel8, cal8);
        assertEquals(c1, c8);
        Certification.Certified cert = assertInstanceOf(Certification.Certified.class, c1);
        assertTrue(cert.coverage() > 0.2, "a certificate with real coverage: " + cert);
    }

    private static Certification certify(ThresholdCounts sel, ThresholdCounts cal) {
        StartPoint start = StartPoint.choose(sel, cal.n(), 0.9);
        return FixedSequence.run(cal, start.index(), 0.9, 0.05);
    }

    @Test
    void nanAndNullScoresAreNeverAccepted() {
        ThresholdCounts all = ThresholdCounter.count(data, "accept_score", "agree",
                new double[] {0.5, 0.0, Double.NEGATIVE_INFINITY});
        long missing = 0;
        for (double s : selScores) {
            missing += Double.isNaN(s) ? 1 : 0;
        }
        for (double s : calScores) {
            missing += Double.isNaN(s) ? 1 : 0;
        }
        assertTrue(missing > 50);
        assertEquals(missing, all.unscored());
        assertEquals(N, all.n());
        // Even -infinity accepts only the scored rows; 0.0 accepts -0.0 scores (score >= t).
        assertEquals(N - missing, all.accepted(2));
        assertEquals(N - missing, all.accepted(1));
    }

    @Test
    void booleanAgreeCountsLikeDouble() {
        Dataset<Row> asBool = data.withColumn("agree", col("agree").equalTo(1.0));
        double[] t = {0.9, 0.5, 0.1};
        assertEquals(ThresholdCounter.count(data, "accept_score", "agree", t),
                ThresholdCounter.count(asBool, "accept_score", "agree", t));
    }

    @Test
    void badAgreeValuesAndMissingColumnsAreBadInput() {
        Dataset<Row> bad = data.withColumn("agree",
                org.apache.spark.sql.functions.when(col("trace_id").equalTo("t42"), 2.0).otherwise(col("agree")));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ThresholdCounter.count(bad, "accept_score", "agree", new double[] {0.5}));
        assertTrue(e.getMessage().contains("trace_id=t42") && e.getMessage().contains("agree=2.0"), e.getMessage());
        assertThrows(BadInputException.class,
                () -> ThresholdCounter.count(data, "score", "agree", new double[] {0.5}));
        assertThrows(BadInputException.class,
                () -> ThresholdCounter.count(data, "accept_score", "trace_id", new double[] {0.5}));
        assertThrows(BadInputException.class, () -> ThresholdGrid.fromScores(data, "nope", 10));
    }

    @Test
    void emptyInputs() {
        Dataset<Row> none = data.limit(0);
        assertEquals(0, ThresholdGrid.fromScores(none, "accept_score", 10).length);
        ThresholdCounts c = ThresholdCounter.count(none, "accept_score", "agree", new double[] {0.5});
        assertEquals(0, c.n());
        assertInstanceOf(Certification.InsufficientData.class, FixedSequence.run(c, 0, 0.9, 0.05));
    }
}
