package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTraceGeneratorTest {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticTraceGeneratorTest.class);

    static SparkSession spark;
    static SyntheticTraceGenerator generator;

    @BeforeAll
    static void session() {
        spark = SparkTestSession.get();
        generator = new SyntheticTraceGenerator(spark);
    }

    @Test
    void sameSeedGivesIdenticalRowsWhateverThePartitioning() {
        SyntheticSpec spec = SyntheticSpec.defaults(3000, 42);
        Dataset<Row> one = generator.generate(spec, 1);
        Dataset<Row> five = generator.generate(spec, 5);
        Dataset<Row> again = generator.generate(spec, 3);
        assertEquals(3000, one.count());
        assertEquals(3000, five.count());
        assertEquals(0, one.except(five).count());
        assertEquals(0, five.except(one).count());
        assertEquals(0, again.except(one).count());
    }

    @Test
    void differentSeedsGiveDifferentRows() {
        Row a = generator.generate(SyntheticSpec.defaults(10, 1), 1).filter(col(Columns.TRACE_ID).equalTo("syn-3")).first();
        Row b = generator.generate(SyntheticSpec.defaults(10, 2), 1).filter(col(Columns.TRACE_ID).equalTo("syn-3")).first();
        assertFalse(java.util.Arrays.equals(embedding(a), embedding(b)));
    }

    @Test
    void rowCountIsExactAndIdsAreUnique() {
        Dataset<Row> df = generator.generate(SyntheticSpec.defaults(12_345, 7), 4);
        assertEquals(12_345, df.count());
        assertEquals(12_345, df.select(Columns.TRACE_ID).distinct().count());
        assertEquals(0, generator.generate(SyntheticSpec.defaults(0, 7)).count());
    }

    @Test
    void labelSizesAreUneven() {
        Row r = generator.generate(SyntheticSpec.defaults(20_000, 42), 2)
                .groupBy(Columns.GROUND_TRUTH).count()
                .agg(count(lit(1)), min("count"), max("count")).first();
        assertEquals(20, r.getLong(0), "every label occurs");
        // Weights 1/rank over 20 labels: the biggest is about 20 times the smallest.
        assertTrue(r.getLong(2) > 8 * r.getLong(1), "min " + r.getLong(1) + " max " + r.getLong(2));
    }

    @Test
    void teacherNoiseRateIsAsConfigured() {
        SyntheticSpec noisy = new SyntheticSpec(20_000, 8, 10, 0.10, 0.0, 42, 0.17, 1.0);
        double share = generator.generate(noisy, 2)
                .agg(avg(when(col(Columns.TEACHER).notEqual(col(Columns.GROUND_TRUTH)), 1.0).otherwise(0.0)))
                .first().getDouble(0);
        // Binomial sd is 0.0021 at n = 20000.
        assertEquals(0.10, share, 0.01);
        SyntheticSpec clean = new SyntheticSpec(5_000, 8, 10, 0.0, 0.0, 42, 0.17, 1.0);
        assertEquals(0, generator.generate(clean, 2)
                .filter(col(Columns.TEACHER).notEqual(col(Columns.GROUND_TRUTH))).count());
    }

    @Test
    void oodRowsAreFarFromEveryCentroid() {
        SyntheticSpec spec = new SyntheticSpec(10_000, 32, 20, 0.05, 0.10, 42, 0.17, 1.0);
        SyntheticGeometry g = SyntheticGeometry.of(spec);
        List<Row> rows = generator.generate(spec, 2).select(Columns.GROUND_TRUTH, Columns.EMBEDDING, SyntheticTraceGenerator.IS_OOD)
                .collectAsList();
        double closestOod = Double.MAX_VALUE;
        double farthestInDistribution = 0;
        int ood = 0;
        for (Row r : rows) {
            float[] v = floats(r.getList(1));
            if (r.getBoolean(2)) {
                ood++;
                for (double[] c : g.centroids) {
                    closestOod = Math.min(closestOod, distance(v, c));
                }
            } else {
                int truth = Integer.parseInt(r.getString(0).substring("label_".length()));
                farthestInDistribution = Math.max(farthestInDistribution, distance(v, g.centroids[truth]));
            }
        }
        assertEquals(1000, ood, 120, "OOD share");
        assertTrue(closestOod > 1.5 * farthestInDistribution,
                "closest OOD row " + closestOod + " vs farthest in-distribution row " + farthestInDistribution);
    }

    @Test
    void deltaTableCarriesTheEmbeddingMetadataAndTheExactCount(@TempDir Path dir) {
        String uri = dir.resolve("synthetic").toUri().toString();
        SyntheticSpec spec = SyntheticSpec.defaults(2_500, 42);
        assertEquals(2_500, generator.write(spec, uri, false));

        Dataset<Row> back = spark.read().format("delta").load(uri);
        assertEquals(List.of(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.GROUND_TRUTH,
                Columns.EMBEDDING, SyntheticTraceGenerator.IS_OOD), List.of(back.columns()));
        StructField field = back.schema().apply(Columns.EMBEDDING);
        Metadata md = field.metadata();
        assertEquals("synthetic-gaussian-v1", md.getString("tracer.encoder"));
        assertEquals(32L, md.getLong("tracer.dim"));
        assertEquals(0, back.filter(org.apache.spark.sql.functions.size(col(Columns.EMBEDDING)).notEqual(32)).count());

        BadInputException e = assertThrows(BadInputException.class, () -> generator.write(spec, uri, false));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(1_000, generator.write(SyntheticSpec.defaults(1_000, 42), uri, true));
        assertFalse(spark.conf().contains("parquet.enable.dictionary"), "the write restores the session setting");
    }

    /** The default spec must be learnable but not trivial, with confidence that varies by label. */
    @Test
    void logisticRegressionAgreesWithTheTeacherOnMostButNotAllRows() {
        Dataset<Row> df = generator.generate(SyntheticSpec.defaults(10_000, 42), 2)
                .withColumn(Columns.FEATURES, array_to_vector(col(Columns.EMBEDDING)));
        df = new StringIndexer().setInputCol(Columns.TEACHER).setOutputCol(Columns.LABEL_INDEX).fit(df).transform(df).cache();
        Dataset<Row> train = df.filter(col("trace_id").rlike("[0-7]$"));
        Dataset<Row> test = df.filter(col("trace_id").rlike("[89]$"));
        LogisticRegressionModel model = new LogisticRegression().setMaxIter(60)
                .setLabelCol(Columns.LABEL_INDEX).setFeaturesCol(Columns.FEATURES).fit(train);
        Dataset<Row> perLabel = model.transform(test)
                .withColumn(Columns.AGREE, when(col(Columns.PREDICTION).equalTo(col(Columns.LABEL_INDEX)), 1.0).otherwise(0.0))
                .groupBy(Columns.TEACHER).agg(count(lit(1)).as("n"), avg(Columns.AGREE).as("acc")).cache();
        Row overall = perLabel.agg(org.apache.spark.sql.functions.sum(col("n").multiply(col("acc"))).divide(
                org.apache.spark.sql.functions.sum("n")), min("acc"), max("acc")).first();
        double accuracy = overall.getDouble(0);
        LOG.info("logistic regression on the default synthetic spec: teacher accuracy {} (per label {} .. {})",
                accuracy, overall.getDouble(1), overall.getDouble(2));
        assertTrue(accuracy > 0.82 && accuracy < 0.94, "teacher accuracy " + accuracy);
        assertTrue(overall.getDouble(2) - overall.getDouble(1) > 0.2, "per-label accuracy should vary");
        df.unpersist();
    }

    @Test
    void invalidSpecIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SyntheticSpec(10, 32, 20, 1.5, 0.0, 1, 0.17, 1.0));
        assertTrue(e.getMessage().contains("--noise"), e.getMessage());
        assertThrows(BadInputException.class, () -> new SyntheticSpec(10, 32, 1, 0.0, 0.0, 1, 0.17, 1.0));
    }

    @Test
    void labelSamplingFollowsTheCumulativeWeights() {
        SyntheticGeometry g = SyntheticGeometry.of(SyntheticSpec.defaults(1, 42));
        assertEquals(0, g.label(0.0));
        assertEquals(g.cumulative.length - 1, g.label(0.9999999));
        assertEquals(1, g.label(g.cumulative[0]));
    }

    private static float[] embedding(Row r) {
        return floats(r.getList(r.fieldIndex(Columns.EMBEDDING)));
    }

    private static float[] floats(List<Object> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) list.get(i);
        }
        return out;
    }

    private static double distance(float[] v, double[] c) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double d = v[i] - c[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
