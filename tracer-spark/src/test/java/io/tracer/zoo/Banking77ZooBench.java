package io.tracer.zoo;

import io.tracer.Columns;
import io.tracer.cli.SparkSessions;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateEvaluator;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Measures the full zoo and every gate on an embedded Banking77 table (columns trace_id, input,
 * teacher, embedding). Not a test: run by hand. Split 60/20/20 by hash of trace_id; CV on the
 * train part only, gate AUC on the selection part; calibration rows are dropped unread.
 *
 * <pre>
 * jobs/tracer embed --traces ../shared/data/banking77/train.csv --output file:/tmp/b77-emb
 * mvn -B -q -o test-compile && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Xmx8g --add-opens=... -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     -Dtracer.b77=file:/tmp/b77-emb [-Dtracer.zoo.set=full] [-Dtracer.zoo.skip=tree,forest]
 *     io.tracer.zoo.Banking77ZooBench
 * </pre>
 *
 * <p>Why it stays in test scope: it is a developer's measurement of the zoo's internals (every
 * candidate's fold scores and fit time, and each gate's AUC, with no policy built), the source of
 * the README's zoo table. Users get the same candidate scores and gate AUCs from every fit, in the
 * {@code candidates} table, and the end-to-end Banking77 figures from {@code tracer bench banking77}.
 */
public final class Banking77ZooBench {
    private Banking77ZooBench() {}

    public static void main(String[] args) {
        String table = System.getProperty("tracer.b77", "file:/work/wt/b77-embeddings-zoo");
        String set = System.getProperty("tracer.zoo.set", "full");
        long seed = 42L;
        SparkSession spark = SparkSessions.builder(new SparkConf().setMaster("local[2]").setAppName("b77-zoo")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"), 4).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row> all = spark.read().format("delta").load(table)
                    .withColumn("_bucket", pmod(xxhash64(col(Columns.TRACE_ID), lit("b77-split")), lit(100)));
            Dataset<Row> train = all.where(col("_bucket").lt(60))
                    .withColumn(Columns.FOLD, pmod(xxhash64(col(Columns.TRACE_ID), lit("b77-fold")), lit(3)).cast("int"));
            Dataset<Row> selection = all.where(col("_bucket").geq(60).and(col("_bucket").lt(80)));
            // The label space comes from train + selection only: calibration rows stay unread.
            LabelIndex labels = LabelIndex.fromTeacher(train.unionByName(selection.withColumn(Columns.FOLD, lit(-1))));

            String skip = System.getProperty("tracer.zoo.skip", "");
            TracerConfig.Zoo zooConfig = new TracerConfig.Zoo(set,
                    skip.isBlank() ? List.of() : List.of(skip.split(",")), List.of(), 2000, 4000, 3, 50000, 0.02, "macro-f1", 2, 50000);
            long t0 = System.nanoTime();
            ZooResult zoo = new ZooTrainer(spark, zooConfig, labels, seed).train(train);
            double zooSeconds = (System.nanoTime() - t0) / 1e9;

            System.out.printf("Banking77 %s: train %d rows, selection %d rows, K=%d, zoo %.0fs%n", table,
                    train.count(), selection.count(), labels.size(), zooSeconds);
            System.out.println("| candidate | phase | rung | train rows | scored on | accuracy | macro-F1 | fit s |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (CandidateScore r : zoo.candidates()) {
                System.out.printf("| %s | %s | %d | %d | %d | %.4f | %.4f | %.0f |%n", r.name(), r.phase(), r.rung(),
                        r.trainRows(), r.evalRows(), r.accuracy(), r.macroF1(), r.fitSeconds());
            }
            Dataset<Row> sel = zoo.winner().predictWithAgree(labels.withLabelIndex(selection)).cache();
            double selAccuracy = sel.agg(avg(Columns.AGREE)).first().getDouble(0);
            System.out.printf("winner %s: selection-split teacher accuracy %.4f%n", zoo.winnerSpec().name(), selAccuracy);
            System.out.println("| gate | selection AUC |");
            System.out.println("|---|---|");
            GateTrainer gates = new GateTrainer();
            for (String name : GateTrainer.NAMES) {
                GateModel gate = gates.train(name, zoo.outOfFold(), seed);
                System.out.printf("| %s | %.4f |%n", name, GateEvaluator.auc(gate.score(sel)));
            }
        } finally {
            spark.stop();
        }
    }
}
