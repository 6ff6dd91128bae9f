package io.tracer.serve;

import io.tracer.Columns;
import io.tracer.gate.GateModel;
import io.tracer.gate.NeighbourReference;
import io.tracer.policy.export.PortableExporter;
import io.tracer.policy.export.UnsupportedExportException;
import io.tracer.testing.SparkTestSession;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogatePipelines;
import io.tracer.zoo.SurrogateSpec;
import io.tracer.zoo.SyntheticClusters;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each exporter against MLlib on held-out rows, scored by the kernel as one block: the
 * probability vector and prediction for every surrogate kind (LR, MLP with scaler, gaussian NB
 * with a partial label set, tree, forest, XGBoost) and the accept score for the logistic and
 * boosted gates; and each row scored alone (a block of one) bit-identical to the block.
 */
class PortableModelsTest {
    static final int K = 5;
    static final int DIM = 12;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Configuration conf;
    static LabelIndex labels;
    static Dataset<Row> train;
    static Dataset<Row> heldOutRows;

    @BeforeAll
    static void data() {
        spark = SparkTestSession.get();
        conf = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> rows = SyntheticClusters.make(700, K, DIM, 0.5, 9);
        labels = LabelIndex.fromTeacher(rows);
        train = RouterFixtures.prepare(rows, labels).cache();
        // Rows the models were fitted on are fine here: this compares arithmetic, not accuracy.
        heldOutRows = train.orderBy(Columns.TRACE_ID).limit(80).drop(Columns.FEATURES);
    }

    @Test
    void logistic() {
        assertSurrogateMatches(RouterFixtures.fit(RouterFixtures.spec("lr-1e-3", DIM, K), train, labels, DIM), 1e-12);
    }

    @Test
    void mlpWeightsFollowMllibsLayout() {
        assertSurrogateMatches(RouterFixtures.fit(RouterFixtures.spec("mlp-2x16x8", DIM, K), train, labels, DIM),
                1e-12);
    }

    @Test
    void naiveBayesOverThePartialLabelSetItSaw() {
        SurrogateSpec spec = RouterFixtures.spec("nb-gaussian", DIM, K);
        // Without c2: the model has 4 outputs, spread over the 5 labels as SurrogateModel does.
        Dataset<Row> partial = train.where(col(Columns.TEACHER).notEqual("c2"));
        PipelineModel p = SurrogatePipelines.build(spec, DIM, K, 1).fit(partial);
        SurrogateModel nb = new SurrogateModel(spec, labels, p, new int[] {0, 1, 3, 4});
        assertSurrogateMatches(nb, 1e-12);
    }

    @Test
    void decisionTree() {
        assertSurrogateMatches(RouterFixtures.fit(RouterFixtures.spec("tree", DIM, K), train, labels, DIM), 0.0);
    }

    @Test
    void randomForestAveragesNormalisedLeafCounts() {
        assertSurrogateMatches(RouterFixtures.fit(RouterFixtures.spec("forest", DIM, K), train, labels, DIM), 1e-15);
    }

    @Test
    void xgboostNativeModel() {
        assertSurrogateMatches(RouterFixtures.fit(RouterFixtures.spec("xgb", DIM, K), train, labels, DIM), 0.0);
    }

    @Test
    void logisticAndBoostedGates() {
        SurrogateModel lr = RouterFixtures.fit(RouterFixtures.spec("lr-1e-3", DIM, K), train, labels, DIM);
        for (String name : List.of("logistic", "boosted")) {
            GateModel gate = RouterFixtures.gate(name, lr, train);
            PortableStage stage = exportAndRead(lr, gate, "gate-" + name);
            List<Row> scored = gate.score(lr.predict(heldOutRows))
                    .select(Columns.EMBEDDING, Columns.ACCEPT_SCORE).collectAsList();
            double[] scores = gateScores(stage, block(scored));
            double maxDiff = 0;
            for (int i = 0; i < scored.size(); i++) {
                maxDiff = Math.max(maxDiff, Math.abs(scores[i] - scored.get(i).getDouble(1)));
                // A block of one scores each row exactly as the whole block does.
                double alone = gateScores(stage, block(List.of(scored.get(i))))[0];
                assertEquals(Double.doubleToLongBits(scores[i]), Double.doubleToLongBits(alone), name + " row " + i);
            }
            System.out.println("[portable-models] gate " + name + ": max |score diff| " + maxDiff);
            assertTrue(maxDiff <= 1e-12, name + " gate differs by " + maxDiff);
        }
    }

    /**
     * The neighbour input: the fit's gate (its reference knows its own rows) and the same gate
     * saved and loaded against the exported kernel. A row outside the reference scores the same
     * everywhere; a reference row is not its own neighbour in the fit, and is one once loaded and
     * in the router (new traffic), so there the loaded gate and the router agree.
     */
    @Test
    void gatesWithTheNeighbourInputScoreAsSparkDoes() {
        SurrogateModel lr = RouterFixtures.fit(RouterFixtures.spec("lr-1e-3", DIM, K), train, labels, DIM);
        Dataset<Row> rows = train.drop(Columns.FEATURES).orderBy(Columns.TRACE_ID).limit(160);
        for (String name : List.of("logistic", "boosted")) {
            // 60 of about 140 rows a label: some held-out rows are reference rows, some are not
            GateModel fitted = RouterFixtures.neighbourGate(name, lr, train, train, 60);
            NeighbourReference reference = fitted.neighbours().orElseThrow();
            PortableStage stage = exportAndRead(lr, fitted, "neighbours-" + name);
            fitted.save(uri("neighbours-" + name + "-gate"));
            GateModel loaded = GateModel.load(uri("neighbours-" + name + "-gate"));
            assertTrue(loaded.neighbours().isPresent(), "the loaded gate reads the neighbour input");
            List<Row> inFit = fitted.score(lr.predict(rows))
                    .select(Columns.TRACE_ID, Columns.EMBEDDING, Columns.ACCEPT_SCORE).orderBy(Columns.TRACE_ID)
                    .collectAsList();
            List<Row> afterLoad = loaded.score(lr.predict(rows))
                    .select(Columns.TRACE_ID, Columns.EMBEDDING, Columns.ACCEPT_SCORE).orderBy(Columns.TRACE_ID)
                    .collectAsList();
            List<Row> withEmbedding = new java.util.ArrayList<>();
            afterLoad.forEach(r -> withEmbedding.add(org.apache.spark.sql.RowFactory.create(r.get(1))));
            double[] router = gateScores(stage, block(withEmbedding, 0));
            int own = 0;
            int ownDiffer = 0;
            for (int i = 0; i < afterLoad.size(); i++) {
                String id = afterLoad.get(i).getString(0);
                assertEquals(id, inFit.get(i).getString(0));
                double loadedScore = afterLoad.get(i).getDouble(2);
                assertTrue(Math.abs(router[i] - loadedScore) <= 1e-12,
                        name + " row " + id + ": router " + router[i] + ", loaded gate " + loadedScore);
                if (reference.isOwnRow(id)) {
                    own++;
                    ownDiffer += inFit.get(i).getDouble(2) != loadedScore ? 1 : 0;
                } else {
                    assertEquals(loadedScore, inFit.get(i).getDouble(2), 1e-12, name + " row " + id
                            + " is not a reference row and scores the same in the fit");
                }
            }
            System.out.println("[portable-models] gate " + name + " with neighbours: " + afterLoad.size() + " rows, "
                    + own + " reference rows, " + ownDiffer + " of them scored differently in the fit (self excluded)");
            assertTrue(own > 0 && own < afterLoad.size(), "both kinds of row compared: " + own);
            assertTrue(ownDiffer > 0, "a reference row never counts itself in the fit");
        }
    }

    @Test
    void classThresholdsAreRefusedNotApproximated() {
        SurrogateModel lr = RouterFixtures.fit(RouterFixtures.spec("lr-1e-3", DIM, K), train, labels, DIM);
        LogisticRegressionModel m = (LogisticRegressionModel) lr.pipeline().stages()[0];
        LogisticRegressionModel withThresholds = m.copy(ParamMap.empty());
        withThresholds.setThresholds(new double[] {0.5, 0.5, 0.5, 0.5, 0.1});
        SurrogateModel odd = new SurrogateModel(lr.spec(), labels,
                new PipelineModel("p", new Transformer[] {withThresholds}));
        UnsupportedExportException e = assertThrows(UnsupportedExportException.class,
                () -> new PortableExporter(conf).export(odd, null, uri("refused")));
        assertTrue(e.getMessage().contains("class thresholds"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("refused").resolve(PortableFormat.MODEL_FILE)), "no partial export");
    }

    // ---------------------------------------------------------------------------------------

    private static void assertSurrogateMatches(SurrogateModel s, double tolerance) {
        PortableStage stage = exportAndRead(s, null, s.spec().name());
        List<Row> predicted = s.predict(heldOutRows)
                .select(Columns.EMBEDDING, Columns.PROBABILITY, Columns.PREDICTION).collectAsList();
        Scored all = predict(stage, block(predicted));
        double maxDiff = 0;
        for (int i = 0; i < predicted.size(); i++) {
            Row r = predicted.get(i);
            double[] expected = ((Vector) r.get(1)).toArray();
            assertEquals(K, expected.length);
            for (int c = 0; c < K; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[c] - all.probability[i * K + c]));
            }
            assertEquals((int) r.getDouble(2), all.prediction[i], s.spec().name() + " prediction");
            // A block of one scores each row exactly as the whole block does.
            Scored alone = predict(stage, block(List.of(r)));
            for (int c = 0; c < K; c++) {
                assertEquals(Double.doubleToLongBits(all.probability[i * K + c]),
                        Double.doubleToLongBits(alone.probability[c]), s.spec().name() + " row " + i);
            }
        }
        System.out.println("[portable-models] " + s.spec().name() + ": " + predicted.size()
                + " rows, predictions equal, max |probability diff| " + maxDiff);
        assertTrue(maxDiff <= tolerance, s.spec().name() + " probabilities differ by " + maxDiff);
    }

    /** Probabilities over the label space (n x K) and predictions of a block. */
    private record Scored(double[] probability, int[] prediction) {}

    private static Scored predict(PortableStage stage, FeatureRows rows) {
        double[] p = new double[rows.n() * K];
        int[] prediction = new int[rows.n()];
        stage.surrogate().predict(rows, new Workspace(), p, prediction);
        return new Scored(p, prediction);
    }

    private static double[] gateScores(PortableStage stage, FeatureRows rows) {
        Scored s = predict(stage, rows);
        double[] scores = new double[rows.n()];
        String[] unscorable = new String[rows.n()];
        stage.gate().score(s.probability, K, rows, new Workspace(), scores, unscorable);
        for (String u : unscorable) {
            assertNull(u);
        }
        return scores;
    }

    /** The rows' embeddings as one block. */
    private static FeatureRows block(List<Row> rows) {
        float[] values = new float[rows.size() * DIM];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(RouterFixtures.embedding(rows.get(i)), 0, values, i * DIM, DIM);
        }
        return new FeatureRows(values, rows.size(), DIM, new Workspace(), Workspace.ROWS);
    }

    /** The embeddings in column {@code column} of rows holding only a list of numbers there. */
    private static FeatureRows block(List<Row> rows, int column) {
        float[] values = new float[rows.size() * DIM];
        for (int i = 0; i < rows.size(); i++) {
            List<Object> v = rows.get(i).getList(column);
            for (int j = 0; j < DIM; j++) {
                values[i * DIM + j] = ((Number) v.get(j)).floatValue();
            }
        }
        return new FeatureRows(values, rows.size(), DIM, new Workspace(), Workspace.ROWS);
    }

    private static PortableStage exportAndRead(SurrogateModel s, GateModel g, String name) {
        new PortableExporter(conf).export(s, g, uri(name));
        return new PortableReader(conf).read(1, uri(name), 0.5, K, DIM);
    }

    private static String uri(String name) {
        return dir.resolve(name).toUri().toString();
    }

}
