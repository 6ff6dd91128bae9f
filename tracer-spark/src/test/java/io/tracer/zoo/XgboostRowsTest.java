package io.tracer.zoo;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XGBoost's model depends on the order it reads its rows in, and on a cluster a shuffle hands
 * them over in the order the executors answer. The fit gives XGBoost one order whatever order and
 * partitioning the rows come in ({@link XgboostRows}), so the same rows give the same model to
 * the last digit: here the same rows in their own order and in a scrambled one.
 */
class XgboostRowsTest {

    /** The same rows in another order and partitioning, as a shuffle on a cluster may deliver them. */
    private static Dataset<Row> scrambled(Dataset<Row> rows) {
        return rows.orderBy(xxhash64(col(Columns.TRACE_ID), lit(7L))).repartition(3);
    }

    /**
     * Rows whose value of {@code column} differs between the two scorings (exact comparison),
     * after checking that both scored all {@code n} rows, so an empty join cannot pass for a match.
     */
    private static long differing(Dataset<Row> a, Dataset<Row> b, String column, long n) {
        Dataset<Row> joined = a.select(col(Columns.TRACE_ID), col(column).as("a"))
                .join(b.select(col(Columns.TRACE_ID), col(column).as("b")), Columns.TRACE_ID);
        assertEquals(n, joined.where(col("a").isNotNull().and(col("b").isNotNull())).count(), "rows scored by both");
        return joined.where(col("a").notEqual(col("b"))).count();
    }

    static SparkSession spark;
    static final int K = 5;
    static final int DIM = 8;
    static Dataset<Row> rows;
    static LabelIndex labels;
    static ZooTrainer zoo;

    @BeforeAll
    static void data() {
        spark = SparkTestSession.get();
        // overlapping clusters, so the surrogate is wrong often enough for a gate to learn from
        rows = SyntheticClusters.make(900, K, DIM, 1.6, 21L).cache();
        labels = LabelIndex.fromTeacher(rows);
        zoo = new ZooTrainer(spark, new TracerConfig.Zoo("light", List.of(), List.of(), 2000, 4000, 2, 50000, 0.02,
                "macro-f1", 1, 50000), labels, 5L);
    }

    @AfterAll
    static void release() {
        rows.unpersist();
    }

    @Test
    void theSameRowsInAnotherOrderGiveTheSameXgboostSurrogate() {
        // row subsampling (0.8) follows the row order too, so an order change moves every tree
        SurrogateSpec xgb = new SurrogateSpec("xgb-small", SurrogateSpec.Kind.XGBOOST, Map.of("numRound", "20",
                "maxDepth", "4", "eta", "0.3", "subsample", "0.8", "colsampleBytree", "0.8", "nthread", "1"));
        Dataset<Row> indexed = labels.withLabelIndex(rows);
        SurrogateModel inOrder = zoo.fit(xgb, rows);
        SurrogateModel outOfOrder = zoo.fit(xgb, scrambled(rows));
        assertEquals(0, differing(inOrder.predict(indexed), outOfOrder.predict(indexed), Columns.PROBABILITY, 900),
                "rows whose XGBoost surrogate probabilities differ");
    }

    @Test
    void theSameOutOfFoldRowsInAnotherOrderGiveTheSameBoostedGate() {
        ZooResult lr = zoo.train(rows, List.of(SurrogateZoo.byName("lr-1e-3", DIM, K).withParam("maxIter", 30)));
        try {
            Dataset<Row> outOfFold = lr.outOfFold();
            double agree = outOfFold.agg(avg(Columns.AGREE)).first().getDouble(0);
            assertTrue(agree > 0.3 && agree < 0.97, "a gate needs both classes to learn from: agreement " + agree);
            // the default boosted gate's sampling: rows 0.8, columns 0.5
            GateTrainer trainer = new GateTrainer(new GateTrainer.BoostedParams(30, 4, 0.3, 0.8, 0.5, 1));
            GateModel a = trainer.train("boosted", outOfFold, 5L);
            GateModel b = trainer.train("boosted", scrambled(outOfFold), 5L);
            assertEquals(0, differing(a.score(outOfFold), b.score(outOfFold), Columns.ACCEPT_SCORE, 900),
                    "rows whose boosted gate scores differ");
        } finally {
            lr.outOfFold().unpersist();
        }
    }
}
