package io.tracer.zoo;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XGBoost trains in a barrier stage, which refuses a coalesce or union in its RDD chain unless a
 * shuffle comes first. Small training tables are packed by coalescing ({@link TrainingPartitions}),
 * so an RSB second stage of a few hundred rows once failed the whole fit here.
 */
class XgboostPackedRowsTest {

    @Test
    void xgboostSurrogateAndBoostedGateTrainOnRowsPackedIntoOnePartition() {
        SparkSession spark = SparkTestSession.get();
        int k = 4;
        int dim = 6;
        Dataset<Row> scattered = SyntheticClusters.make(300, k, dim, 0.8, 11L).repartition(6);
        LabelIndex labels = LabelIndex.fromTeacher(scattered);
        TracerConfig.Zoo config = new TracerConfig.Zoo("full", List.of(), List.of(), 2000, 4000, 2, 50000, 0.02, "macro-f1", 1, 50000);
        SurrogateSpec xgb = new SurrogateSpec("xgb-small", SurrogateSpec.Kind.XGBOOST, java.util.Map.of("numRound", "5",
                "maxDepth", "3", "eta", "0.3", "subsample", "1.0", "colsampleBytree", "1.0", "nthread", "1"));

        ZooResult zoo = new ZooTrainer(spark, config, labels, 5L).train(scattered, List.of(xgb));
        assertEquals(1, zoo.outOfFold().rdd().getNumPartitions(), "300 out-of-fold rows are packed into one partition");
        assertEquals(300, zoo.outOfFold().count());

        GateModel gate = new GateTrainer(new GateTrainer.BoostedParams(5, 2, 0.3, 1.0, 1.0, 1))
                .train("boosted", zoo.outOfFold(), 5L);
        assertTrue(gate.pipeline().isPresent() || gate.constantScore().isPresent());
        assertEquals(300, gate.score(zoo.outOfFold()).where(Columns.ACCEPT_SCORE + " IS NOT NULL").count());
        zoo.outOfFold().unpersist();
    }
}
