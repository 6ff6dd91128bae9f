package io.tracer.gate;

import io.tracer.Columns;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Gates fitted on an agree label with one value (the surrogate agreed on every out-of-fold row,
 * or on none): the trained gates become constant at the observed share instead of failing (the
 * boosted gate's XGBoost refuses such labels), and survive a save and load.
 */
class GateOneClassTest {
    static final List<String> TRAINED = List.of("logistic", "boosted");
    static SparkSession spark;
    /** Rows with probability, features and agree = 1 on every row. */
    static Dataset<Row> allAgree;

    @BeforeAll
    static void rows() {
        spark = SparkTestSession.get();
        Random rnd = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double[] p = new double[4];
            double sum = 0;
            for (int k = 0; k < p.length; k++) {
                p[k] = 0.05 + rnd.nextDouble();
                sum += p[k];
            }
            for (int k = 0; k < p.length; k++) {
                p[k] /= sum;
            }
            double[] x = new double[6];
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextGaussian();
            }
            rows.add(RowFactory.create("t" + i, Vectors.dense(p), Vectors.dense(x), 1.0));
        }
        StructType schema = new StructType()
                .add(Columns.TRACE_ID, DataTypes.StringType)
                .add(Columns.PROBABILITY, SQLDataTypes.VectorType())
                .add(Columns.FEATURES, SQLDataTypes.VectorType())
                .add(Columns.AGREE, DataTypes.DoubleType);
        allAgree = spark.createDataFrame(rows, schema).cache();
    }

    static GateTrainer trainer() {
        return new GateTrainer(new GateTrainer.BoostedParams(5, 2, 0.3, 1.0, 1.0, 1));
    }

    @Test
    void everyRowAgreeingGivesAConstantGateOfOne() {
        for (String name : TRAINED) {
            GateModel gate = trainer().train(name, allAgree, 1L);
            assertEquals(name, gate.name());
            assertEquals(1.0, gate.constantScore().orElseThrow(), name);
            assertTrue(gate.pipeline().isEmpty(), name);
            assertScores(gate, 1.0);
        }
    }

    @Test
    void noRowAgreeingGivesAConstantGateOfZero() {
        Dataset<Row> none = allAgree.withColumn(Columns.AGREE, lit(0.0));
        for (String name : TRAINED) {
            GateModel gate = trainer().train(name, none, 1L);
            assertEquals(0.0, gate.constantScore().orElseThrow(), name);
            assertScores(gate, 0.0);
        }
    }

    @Test
    void bothClassesStillFitAModel() {
        Dataset<Row> mixed = allAgree.withColumn(Columns.AGREE,
                when(col(Columns.TRACE_ID).endsWith("7"), lit(0.0)).otherwise(lit(1.0)));
        for (String name : TRAINED) {
            GateModel gate = trainer().train(name, mixed, 1L);
            assertTrue(gate.constantScore().isEmpty(), name);
            assertTrue(gate.pipeline().isPresent(), name);
        }
        // top1 learns nothing from the label, one class or not
        GateModel top1 = trainer().train("top1", allAgree, 1L);
        assertTrue(top1.constantScore().isEmpty() && top1.pipeline().isEmpty());
    }

    @Test
    void aConstantGateSavesAndLoads(@TempDir Path dir) {
        GateModel gate = trainer().train("boosted", allAgree, 1L);
        String uri = dir.resolve("gate").toUri().toString();
        gate.save(uri);
        GateModel loaded = GateModel.load(uri);
        assertEquals("boosted", loaded.name());
        assertEquals(1.0, loaded.constantScore().orElseThrow());
        assertScores(loaded, 1.0);
    }

    private static void assertScores(GateModel gate, double expected) {
        Row r = gate.score(allAgree).selectExpr("min(" + Columns.ACCEPT_SCORE + ")", "max(" + Columns.ACCEPT_SCORE + ")",
                "count(" + Columns.ACCEPT_SCORE + ")").first();
        assertEquals(expected, r.getDouble(0), gate.toString());
        assertEquals(expected, r.getDouble(1), gate.toString());
        assertEquals(allAgree.count(), r.getLong(2), "a score on every row");
    }
}
