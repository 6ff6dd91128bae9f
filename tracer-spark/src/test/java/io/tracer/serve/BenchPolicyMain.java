package io.tracer.serve;

import io.tracer.Columns;
import io.tracer.gate.GateModel;
import io.tracer.pipeline.GateScores;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.testing.SparkTestSession;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SyntheticClusters;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Builds the policy {@link RouterLatencyBench} measures (test scope, uses Spark): an L2D policy
 * with the zoo's lr-1e-3 surrogate and the logistic gate (or, with {@code mlp-boosted}, the
 * mlp-1x256 surrogate and the boosted gate), fitted on 60% of the rows (the gate on another 20%) and published with its
 * portable export; the gate threshold is the held-out median score (a latency fixture, not a
 * certified policy). Also writes the held-out embeddings as {@code bench-inputs.f32}
 * (int rows, int dim, then floats) under the output directory.
 *
 * <p>Usage: {@code BenchPolicyMain <embeddings Delta URI | synthetic> <output dir> [lr-logistic|mlp-boosted]}.
 * The embeddings table needs trace_id, teacher and embedding columns (a Banking77 embed output).
 *
 * <p>Why it stays in test scope: the policy it publishes is a latency fixture, not a certified
 * policy (its threshold is a median, not the calibration's), so it must not be something a user
 * can publish by mistake. {@code tracer bench routing} measures a real, certified policy.
 */
public final class BenchPolicyMain {
    private BenchPolicyMain() {}

    public static void main(String[] args) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> rows = "synthetic".equals(args[0])
                ? SyntheticClusters.make(8000, 77, 384, 0.12, 1)
                : spark.read().format("delta").load(args[0]).select(Columns.TRACE_ID, Columns.TEACHER, Columns.EMBEDDING);
        String kind = args.length > 2 ? args[2] : "lr-logistic";
        Path out = Path.of(args[1]).toAbsolutePath();
        LabelIndex labels = LabelIndex.fromTeacher(rows);
        Dataset<Row> all = RouterFixtures.prepare(rows, labels)
                .withColumn("part", pmod(xxhash64(col(Columns.TRACE_ID)), lit(5))).cache();
        Dataset<Row> train = all.where(col("part").geq(2)).drop("part").cache();
        // The gate learns from rows the surrogate did not see, like out-of-fold predictions.
        Dataset<Row> gateRows = all.where(col("part").equalTo(1)).drop("part").cache();
        Dataset<Row> held = all.where(col("part").equalTo(0)).drop("part").cache();
        int dim = ((org.apache.spark.ml.linalg.Vector) train.select(Columns.FEATURES).first().get(0)).size();
        boolean mlp = "mlp-boosted".equals(kind);
        SurrogateModel surrogate = RouterFixtures.fit(
                io.tracer.zoo.SurrogateZoo.byName(mlp ? "mlp-1x256" : "lr-1e-3", dim, labels.size()), train, labels, dim);
        GateModel gate = RouterFixtures.gate(mlp ? "boosted" : "logistic", surrogate, gateRows);
        double threshold = GateScores.add(surrogate.predict(held), gate, "s").stat()
                .approxQuantile("s", new double[] {0.5}, 0.0)[0];
        LoadedPolicy p = RouterFixtures.publish(out.resolve("policy").toUri().toString(), PolicyManifest.Method.L2D,
                List.of(new PolicyStage(1, surrogate, gate, Double.NaN)), threshold, labels, dim);
        List<Row> inputs = held.select(Columns.EMBEDDING).collectAsList();
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(out.resolve("bench-inputs.f32"))))) {
            o.writeInt(inputs.size());
            o.writeInt(dim);
            for (Row r : inputs) {
                for (float f : RouterFixtures.embedding(r)) {
                    o.writeFloat(f);
                }
            }
        }
        System.out.println("policy " + p.uri() + " (" + kind + ", " + labels.size() + " labels, dim " + dim
                + ", threshold " + threshold + "); " + inputs.size() + " held-out inputs");
        System.exit(0);
    }
}
