package io.tracer.gate;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.testing.SparkTestSession;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogateZoo;
import io.tracer.zoo.SyntheticClusters;
import io.tracer.zoo.ZooResult;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateTest {
    static final int K = 8;
    static final int DIM = 12;
    static SparkSession spark;
    static ZooResult zoo;
    /** Held-out rows the surrogate and gates never saw, with probability, features and agree. */
    static Dataset<Row> heldOut;

    @BeforeAll
    static void fitSurrogate() {
        spark = SparkTestSession.get();
        // Overlapping clusters so a fair share of predictions disagree with the teacher.
        Dataset<Row> all = SyntheticClusters.make(2400, K, DIM, 0.6, 11L).cache();
        Dataset<Row> train = all.limit(1600);
        Dataset<Row> test = all.exceptAll(train);
        LabelIndex labels = LabelIndex.fromTeacher(all);
        ZooTrainer trainer = new ZooTrainer(spark, new TracerConfig.Zoo("light", List.of(), List.of(), 2000, 4000, 3,
                50000, 0.02, "macro-f1", 2, 50000), labels, 42L);
        zoo = trainer.train(SyntheticClusters.withFolds(train, 3),
                List.of(SurrogateZoo.byName("lr-1e-2", DIM, K).withParam("maxIter", 30)));
        heldOut = zoo.winner().predictWithAgree(labels.withLabelIndex(test)).cache();
    }

    @AfterAll
    static void release() {
        zoo.outOfFold().unpersist();
        heldOut.unpersist();
    }

    @Test
    void confidenceFeaturesOfAHandMadeVector() {
        StructType schema = new StructType().add(Columns.PROBABILITY, SQLDataTypes.VectorType());
        Dataset<Row> rows = spark.createDataFrame(List.of(
                RowFactory.create(Vectors.dense(0.2, 0.5, 0.3)),
                RowFactory.create(Vectors.dense(0.25, 0.25, 0.25, 0.25)),
                RowFactory.create(Vectors.sparse(4, new int[] {2}, new double[] {1.0}))), schema);
        List<Row> out = ConfidenceFeatures.add(rows).select(ConfidenceFeatures.TOP1, ConfidenceFeatures.TOP2,
                ConfidenceFeatures.MARGIN, ConfidenceFeatures.ENTROPY).collectAsList();
        double h = -(0.2 * Math.log(0.2) + 0.5 * Math.log(0.5) + 0.3 * Math.log(0.3)) / Math.log(3);
        assertEquals(0.5, out.get(0).getDouble(0), 1e-12);
        assertEquals(0.3, out.get(0).getDouble(1), 1e-12);
        assertEquals(0.2, out.get(0).getDouble(2), 1e-12);
        assertEquals(h, out.get(0).getDouble(3), 1e-12);
        // Uniform: no margin, entropy 1. One-hot: margin 1, entropy 0.
        assertEquals(0.0, out.get(1).getDouble(2), 1e-12);
        assertEquals(1.0, out.get(1).getDouble(3), 1e-12);
        assertEquals(1.0, out.get(2).getDouble(0), 1e-12);
        assertEquals(1.0, out.get(2).getDouble(2), 1e-12);
        assertEquals(0.0, out.get(2).getDouble(3), 1e-12);
    }

    @Test
    void everyGateRanksAgreeingRowsFirstOnHeldOutRows() {
        long agree = heldOut.where(Columns.AGREE + " = 1.0").count();
        long total = heldOut.count();
        assertTrue(agree > 0.5 * total && agree < 0.97 * total, "both outcomes present: " + agree + "/" + total);
        GateTrainer trainer = new GateTrainer(new GateTrainer.BoostedParams(30, 3, 0.1, 0.8, 0.8, 1));
        for (String name : GateTrainer.NAMES) {
            GateModel gate = trainer.train(name, zoo.outOfFold(), 42L);
            assertEquals(name, gate.name());
            Dataset<Row> scored = gate.score(heldOut);
            List<Row> bounds = scored.selectExpr("min(" + Columns.ACCEPT_SCORE + ")", "max(" + Columns.ACCEPT_SCORE + ")")
                    .collectAsList();
            assertTrue(bounds.get(0).getDouble(0) >= 0 && bounds.get(0).getDouble(1) <= 1, name + " score in [0,1]");
            double auc = GateEvaluator.auc(scored);
            assertTrue(auc > 0.7, name + " AUC " + auc);
            // A score that ignores the row cannot rank: the evaluator must see that.
            assertEquals(0.5, GateEvaluator.auc(scored.withColumn(Columns.ACCEPT_SCORE,
                    org.apache.spark.sql.functions.lit(0.5))), 1e-9);
        }
    }

    @Test
    void gatesSaveAndLoadWithIdenticalScores(@TempDir Path dir) {
        GateTrainer trainer = new GateTrainer(new GateTrainer.BoostedParams(10, 3, 0.1, 0.8, 0.8, 1));
        Dataset<Row> sample = heldOut.limit(200);
        for (String name : GateTrainer.NAMES) {
            GateModel gate = trainer.train(name, zoo.outOfFold(), 42L);
            String uri = dir.resolve(name).toUri().toString();
            gate.save(uri);
            GateModel loaded = GateModel.load(uri);
            assertEquals(name, loaded.name());
            List<Row> a = gate.score(sample).orderBy(Columns.TRACE_ID).select(Columns.ACCEPT_SCORE).collectAsList();
            List<Row> b = loaded.score(sample).orderBy(Columns.TRACE_ID).select(Columns.ACCEPT_SCORE).collectAsList();
            assertEquals(a, b, name);
        }
    }

    @Test
    void unknownGateIsRefused() {
        assertThrows(BadInputException.class, () -> new GateTrainer().train("oracle", zoo.outOfFold(), 1L));
    }

    @Test
    void scoringReplacesAnEarlierScoreAndKeepsRows() {
        GateModel top1 = new GateTrainer().train("top1", zoo.outOfFold(), 1L);
        Dataset<Row> twice = top1.score(top1.score(heldOut));
        assertEquals(heldOut.count(), twice.count());
        assertEquals(1, java.util.Arrays.stream(twice.columns()).filter(Columns.ACCEPT_SCORE::equals).count());
        assertTrue(twice.schema().apply(Columns.ACCEPT_SCORE).dataType().equals(DataTypes.DoubleType));
    }
}
