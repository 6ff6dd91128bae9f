package io.tracer.zoo;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZooTrainerTest {
    static final int K = 6;
    static final int DIM = 10;
    static SparkSession spark;
    static Dataset<Row> rows;
    static LabelIndex labels;

    @BeforeAll
    static void data() {
        spark = SparkTestSession.get();
        rows = SyntheticClusters.make(1200, K, DIM, 0.9, 7L).cache();
        labels = LabelIndex.fromTeacher(rows);
    }

    static TracerConfig.Zoo zoo(String set, List<String> skip, List<String> add) {
        return new TracerConfig.Zoo(set, skip, add, 2000, 4000, 3, 50000, 0.02, "macro-f1", 2, 50000);
    }

    /** The light zoo's sizes with {@code finalistMargin}; 1 cross-fits both finalists on every fold. */
    static TracerConfig.Zoo zoo(double finalistMargin) {
        return new TracerConfig.Zoo("light", List.of(), List.of(), 2000, 4000, 3, 50000, finalistMargin, "macro-f1", 2, 50000);
    }

    /** A one-split tree: a candidate any logistic regression beats on the clusters. */
    private static SurrogateSpec stump() {
        return new SurrogateSpec("stump", SurrogateSpec.Kind.TREE,
                Map.of("maxDepth", "1", "minInstancesPerNode", "1", "maxBins", "32"));
    }

    /** A zoo logistic regression capped at {@code maxIter} iterations. */
    private static SurrogateSpec lr(String name, int maxIter) {
        return SurrogateZoo.byName(name, DIM, K).withParam("maxIter", maxIter);
    }

    /** Full-zoo specs made cheap enough for a unit test. */
    static List<SurrogateSpec> cheapFull() {
        List<SurrogateSpec> out = new ArrayList<>();
        for (SurrogateSpec s : SurrogateZoo.full(DIM, K)) {
            out.add(switch (s.kind()) {
                case LOGISTIC, MLP -> s.withParam("maxIter", 30);
                case FOREST -> s.withParam("numTrees", 5).withParam("maxDepth", 5);
                case TREE -> s.withParam("maxDepth", 5);
                case XGBOOST -> s.withParam("numRound", 5).withParam("nthread", 1);
                case NAIVE_BAYES -> s;
            });
        }
        return out;
    }

    @Test
    void labelIndexIsSortedAndCarriesNominalMetadata() {
        LabelIndex idx = new LabelIndex(List.of("b", "a", "Z", "ä"));
        assertEquals(List.of("Z", "a", "b", "ä"), idx.labels());
        assertEquals(1, idx.indexOf("a"));
        assertEquals(-1, idx.indexOf("nope"));
        assertThrows(BadInputException.class, () -> new LabelIndex(List.of("a", "a")));

        Dataset<Row> indexed = labels.withLabelIndex(rows.union(
                rows.limit(1).withColumn(Columns.TEACHER, org.apache.spark.sql.functions.lit("unseen"))));
        Map<String, Object> sample = new java.util.HashMap<>();
        for (Row r : indexed.select(Columns.TEACHER, Columns.LABEL_INDEX).distinct().collectAsList()) {
            sample.put(r.getString(0), r.isNullAt(1) ? null : r.getDouble(1));
        }
        assertEquals(3.0, sample.get("c3"));
        assertEquals(null, sample.get("unseen"));
        org.apache.spark.ml.attribute.Attribute attr = org.apache.spark.ml.attribute.Attribute.fromStructField(
                indexed.schema().apply(Columns.LABEL_INDEX));
        assertEquals(K, ((org.apache.spark.ml.attribute.NominalAttribute) attr).getNumValues().get());
    }

    @Test
    void registryHonoursSetSkipAndAdd() {
        List<String> light = SurrogateZoo.candidates(zoo("light", List.of(), List.of()), 384, 77)
                .stream().map(SurrogateSpec::name).toList();
        assertEquals(List.of("lr-1e-4", "lr-1e-3", "lr-1e-2", "mlp-1x256"), light);
        List<String> full = SurrogateZoo.candidates(zoo("full", List.of("mlp-2", "tree"), List.of("lr-0.5")), 384, 77)
                .stream().map(SurrogateSpec::name).toList();
        assertEquals(List.of("lr-1e-4", "lr-1e-3", "lr-1e-2", "mlp-1x256", "nb-gaussian", "forest", "xgb",
                "lr-0.5"), full);
        assertThrows(BadInputException.class,
                () -> SurrogateZoo.candidates(zoo("light", List.of("svm"), List.of()), 384, 77));
        assertThrows(BadInputException.class,
                () -> SurrogateZoo.candidates(zoo("light", List.of(), List.of("knn")), 384, 77));
    }

    @Test
    void everyCandidatePredictsOverTheWholeLabelSpaceEvenWithALabelMissing() {
        // c2 never appears in training; every model must still output K probabilities, and a model
        // that only knows the labels it saw must map them back (else c3..c5 would shift by one).
        Dataset<Row> train = rows.limit(800).where(col(Columns.TEACHER).notEqual("c2"));
        Dataset<Row> test = labels.withLabelIndex(rows.limit(200));
        ZooTrainer trainer = new ZooTrainer(spark, zoo("full", List.of(), List.of()), labels, 42L);
        for (SurrogateSpec spec : cheapFull()) {
            SurrogateModel model = trainer.fit(spec, train);
            List<Row> out = model.predictWithAgree(test)
                    .select(Columns.PROBABILITY, Columns.PREDICTION, Columns.AGREE).collectAsList();
            assertEquals(200, out.size());
            double agree = 0;
            for (Row r : out) {
                Vector p = r.getAs(0);
                assertEquals(K, p.size(), spec.name() + " probability size");
                double s = 0;
                for (double v : p.toArray()) {
                    assertTrue(v >= 0 && v <= 1, spec.name() + " probability in [0,1]");
                    s += v;
                }
                assertEquals(1.0, s, 1e-6, spec.name() + " probabilities sum to 1");
                assertTrue(r.getDouble(1) >= 0 && r.getDouble(1) < K && r.getDouble(1) != 2.0,
                        spec.name() + " predicts a seen label: " + r.getDouble(1));
                assertTrue(p.apply(2) < 0.5, spec.name() + " gives the unseen label little probability");
                agree += r.getDouble(2);
            }
            // c2 rows (about 1/6) can never agree; the rest are mostly right.
            assertTrue(agree / out.size() > 0.5, spec.name() + " accuracy " + agree / out.size());
            assertEquals(List.of(Columns.TRACE_ID, Columns.TEACHER, Columns.EMBEDDING, Columns.LABEL_INDEX,
                    Columns.FEATURES, Columns.PROBABILITY, Columns.PREDICTION, Columns.AGREE),
                    List.of(model.predictWithAgree(test).columns()), spec.name() + " columns");
        }
    }

    @Test
    void twoFinalistsAreDecidedOnTheSameFoldsAndTheWinnerKeepsOutOfFoldPredictions() {
        SurrogateSpec good = lr("lr-1e-3", 30);
        SurrogateSpec stump = stump();
        Dataset<Row> train = SyntheticClusters.withFolds(rows, 3);
        // a margin of 1: the stump, far behind, is still fitted on every fold
        ZooTrainer trainer = new ZooTrainer(spark, zoo(1.0), labels, 42L);
        // the stump first: the order of the finalists must not decide
        ZooResult result = trainer.train(train, List.of(stump, good));
        try {
            assertEquals("lr-1e-3", result.winnerSpec().name());
            // two candidates are already the finalists: no search, both cross-fitted on the same folds
            assertEquals(List.of(), result.searchScores());
            List<CandidateScore> crossFits = result.candidates().stream()
                    .filter(c -> CandidateScore.CROSS_FIT.equals(c.phase())).toList();
            assertEquals(List.of("stump", "lr-1e-3"), crossFits.stream().map(CandidateScore::name).toList());
            CandidateScore s = crossFits.get(0);
            CandidateScore cross = result.crossFit();
            assertEquals("lr-1e-3", cross.name());
            // the folds are the rows' fold column, so both finalists' folds are the same rows
            assertEquals(List.of(s.trainRows(), s.evalRows()), List.of(cross.trainRows(), cross.evalRows()));
            assertEquals(3, s.foldScores().size());
            assertTrue(cross.mean() > s.mean() + 0.2, "lr " + cross.mean() + " vs stump " + s.mean());
            assertEquals(3, cross.foldScores().size());
            assertEquals(1200, cross.evalRows());
            assertTrue(cross.accuracy() > 0.6 && cross.accuracy() < 1.0, "lr accuracy " + cross.accuracy());
            assertTrue(cross.std() >= 0 && cross.fitSeconds() > 0);
            assertTrue(cross.iterations() != null && cross.iterations() >= 1 && cross.iterations() <= 30,
                    "iterations " + cross.iterations());
            assertEquals(cross.iterations() < 30, cross.converged());
            CandidateScore fin = result.candidates().get(result.candidates().size() - 1);
            assertEquals(CandidateScore.FINAL, fin.phase());
            assertEquals("lr-1e-3", fin.name());
            assertEquals(1200, fin.trainRows());

            Dataset<Row> oof = result.outOfFold();
            assertEquals(List.of(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX, Columns.PROBABILITY,
                    Columns.PREDICTION, Columns.AGREE, Columns.FOLD), List.of(oof.columns()));
            assertEquals(1200, oof.count());
            assertEquals(1200, oof.select(Columns.TRACE_ID).distinct().count());
            // Every row keeps the fold it was held out in.
            assertEquals(0, oof.join(train.select(Columns.TRACE_ID, Columns.FOLD).withColumnRenamed(Columns.FOLD, "f0"),
                    Columns.TRACE_ID).where(col(Columns.FOLD).notEqual(col("f0"))).count());
            double oofAccuracy = oof.agg(org.apache.spark.sql.functions.avg(Columns.AGREE)).first().getDouble(0);
            assertEquals(cross.accuracy(), oofAccuracy, 0.02);
            assertEquals(0, oof.where(col(Columns.AGREE).equalTo(1.0)
                    .notEqual(col(Columns.PREDICTION).equalTo(col(Columns.LABEL_INDEX)))).count());
            // The refitted winner predicts like its fold models on average.
            double refitAccuracy = result.winner().predictWithAgree(labels.withLabelIndex(rows))
                    .agg(org.apache.spark.sql.functions.avg(Columns.AGREE)).first().getDouble(0);
            assertTrue(refitAccuracy > 0.6, "refit accuracy " + refitAccuracy);
        } finally {
            result.outOfFold().unpersist();
        }
    }

    @Test
    void aFinalistThatTrailsByMoreThanTheMarginOnTheFirstFoldStopsThere() {
        Dataset<Row> train = SyntheticClusters.withFolds(rows, 3);
        List<SurrogateSpec> finalists = List.of(stump(), lr("lr-1e-3", 30));
        int cachedBefore = spark.sparkContext().getPersistentRDDs().size();
        ZooResult raced = new ZooTrainer(spark, zoo(0.02), labels, 42L).train(train, finalists);
        // the sample is released; only the out-of-fold rows the caller releases stay
        assertEquals(cachedBefore + 1, spark.sparkContext().getPersistentRDDs().size());
        ZooResult full = new ZooTrainer(spark, zoo(1.0), labels, 42L).train(train, finalists);
        try {
            List<CandidateScore> racedRows = result(raced, CandidateScore.CROSS_FIT);
            List<CandidateScore> fullRows = result(full, CandidateScore.CROSS_FIT);
            assertEquals(List.of("stump", "lr-1e-3"), racedRows.stream().map(CandidateScore::name).toList());
            CandidateScore stopped = racedRows.get(0);
            // the stump was fitted without the first fold only, and scored on that fold's rows
            long firstFoldRows = train.where(col(Columns.FOLD).equalTo(
                    train.agg(org.apache.spark.sql.functions.min(Columns.FOLD)).first().getInt(0))).count();
            assertEquals(1, stopped.foldScores().size());
            assertEquals(firstFoldRows, stopped.evalRows());
            assertEquals(1200 - firstFoldRows, stopped.trainRows());
            assertTrue(Double.isNaN(stopped.std()), "one fold has no std: " + stopped.std());
            // ... where it scored what it scores on that fold when every fold is fitted
            assertEquals(fullRows.get(0).foldScores().get(0), stopped.foldScores().get(0), 1e-9);
            assertEquals(3, fullRows.get(0).foldScores().size());
            // the leader went on: the same winner, folds and out-of-fold rows as without the margin
            assertEquals("lr-1e-3", raced.winnerSpec().name());
            // ... and it is the model fitted on every row (not the first finalist listed)
            assertEquals("lr-1e-3", raced.winner().spec().name());
            assertEquals(0, raced.winner().predictWithAgree(labels.withLabelIndex(rows)).select(Columns.TRACE_ID,
                    Columns.PREDICTION).except(full.winner().predictWithAgree(labels.withLabelIndex(rows))
                    .select(Columns.TRACE_ID, Columns.PREDICTION)).count());
            assertEquals(3, raced.crossFit().foldScores().size());
            assertEquals(1200, raced.crossFit().evalRows());
            for (int f = 0; f < 3; f++) {
                assertEquals(full.crossFit().foldScores().get(f), raced.crossFit().foldScores().get(f), 1e-9);
            }
            assertEquals(1200, raced.outOfFold().count());
            assertEquals(0, raced.outOfFold().select(Columns.TRACE_ID, Columns.PREDICTION)
                    .except(full.outOfFold().select(Columns.TRACE_ID, Columns.PREDICTION)).count());
            // its fit on every row is the last row, as when both finalists go through every fold
            assertEquals(List.of(CandidateScore.CROSS_FIT, CandidateScore.CROSS_FIT, CandidateScore.FINAL),
                    raced.candidates().stream().map(CandidateScore::phase).toList());
            assertEquals(1200, result(raced, CandidateScore.FINAL).get(0).trainRows());
        } finally {
            raced.outOfFold().unpersist();
            full.outOfFold().unpersist();
        }
    }

    private static List<CandidateScore> result(ZooResult r, String phase) {
        return r.candidates().stream().filter(c -> phase.equals(c.phase())).toList();
    }

    @Test
    void theMarginIsAtLeastTwoOverTheRootOfTheFirstFoldsRows() {
        assertEquals(0.1, ZooTrainer.margin(0.02, 400), 1e-12);
        assertEquals(0.02, ZooTrainer.margin(0.02, 16_700), 1e-12);
        assertEquals(1.0, ZooTrainer.margin(1.0, 100), 1e-12);
    }

    @Test
    void bestFirstOrdersByScoreWithNaNLastAndTiesToTheEarlierIndex() {
        assertEquals(List.of(2, 0, 1), ZooTrainer.bestFirst(new double[] {0.5, 0.4, 0.9}));
        assertEquals(List.of(1, 3, 0, 2), ZooTrainer.bestFirst(new double[] {0.3, 0.7, Double.NaN, 0.7}));
        assertEquals(List.of(0, 1), ZooTrainer.bestFirst(new double[] {Double.NaN, Double.NaN}));
        assertEquals(List.of(), ZooTrainer.bestFirst(new double[0]));
    }

    @Test
    void finalistsWithinTheMarginOfTheFirstFoldsLeaderGoOnBestFirst() {
        assertEquals(List.of(0, 1), ZooTrainer.withinMargin(new double[] {0.80, 0.79}, 0.02));
        assertEquals(List.of(1, 0), ZooTrainer.withinMargin(new double[] {0.79, 0.80}, 0.02));
        assertEquals(List.of(0), ZooTrainer.withinMargin(new double[] {0.80, 0.75}, 0.02));
        assertEquals(List.of(1), ZooTrainer.withinMargin(new double[] {0.70, 0.80}, 0.02));
        // ties keep the finalists' order; a margin of 1 keeps every scored finalist
        assertEquals(List.of(0, 1), ZooTrainer.withinMargin(new double[] {0.5, 0.5}, 0.0));
        assertEquals(List.of(1, 0), ZooTrainer.withinMargin(new double[] {0.0, 1.0}, 1.0));
        // a finalist without a score stops; when none has one, all go on (the cross-fit then fails)
        assertEquals(List.of(1), ZooTrainer.withinMargin(new double[] {Double.NaN, 0.1}, 1.0));
        assertEquals(List.of(0, 1), ZooTrainer.withinMargin(new double[] {Double.NaN, Double.NaN}, 0.02));
    }

    @Test
    void successiveHalvingFitsTheBetterHalfOnTwiceTheRowsUntilTwoAreLeft() {
        SurrogateSpec good = lr("lr-1e-3", 20);
        SurrogateSpec strong = lr("lr-1e-2", 20);
        SurrogateSpec stump = stump();
        SurrogateSpec shallow = new SurrogateSpec("shallow", SurrogateSpec.Kind.TREE,
                Map.of("maxDepth", "2", "minInstancesPerNode", "1", "maxBins", "32"));
        // a margin of 1: both finalists go through every fold, so their means compare
        TracerConfig.Zoo small = new TracerConfig.Zoo("light", List.of(), List.of(), 200, 240, 3, 50000, 1.0,
                "macro-f1", 2, 50000);
        ZooResult result = new ZooTrainer(spark, small, labels, 42L)
                .train(SyntheticClusters.withFolds(rows, 3), List.of(stump, good, shallow, strong));
        try {
            List<CandidateScore> search = result.candidates().stream()
                    .filter(c -> CandidateScore.SEARCH.equals(c.phase())).toList();
            // rung 0: four candidates on about 200 rows, scored on one holdout; the best two are the finalists
            assertEquals(List.of(0, 0, 0, 0), search.stream().map(CandidateScore::rung).toList());
            long rung0 = search.get(0).trainRows();
            assertTrue(Math.abs(rung0 - 200) < 60, "rung 0 rows " + rung0);
            assertTrue(search.stream().allMatch(c -> c.evalRows() == search.get(0).evalRows()), "one holdout");
            // the trees are left behind at rung 0; the two logistic regressions are cross-fitted
            List<CandidateScore> crossFits = result.candidates().stream()
                    .filter(c -> CandidateScore.CROSS_FIT.equals(c.phase())).toList();
            assertEquals(java.util.Set.of("lr-1e-3", "lr-1e-2"),
                    crossFits.stream().map(CandidateScore::name).collect(java.util.stream.Collectors.toSet()));
            assertEquals(2, crossFits.size());
            // the winner is the finalist with the better mean over the same folds
            CandidateScore better = crossFits.get(0).mean() >= crossFits.get(1).mean() ? crossFits.get(0)
                    : crossFits.get(1);
            assertEquals(better.name(), result.winnerSpec().name());
            assertEquals(better, result.crossFit());
            assertEquals(3, result.crossFit().foldScores().size());
            // the out-of-fold rows are the winner's: their mean accuracy over folds is its cross-fit accuracy
            double oofAccuracy = result.outOfFold().groupBy(Columns.FOLD)
                    .agg(org.apache.spark.sql.functions.avg(Columns.AGREE).as("a"))
                    .agg(org.apache.spark.sql.functions.avg("a")).first().getDouble(0);
            assertEquals(better.accuracy(), oofAccuracy, 1e-9);
            assertEquals(List.of(CandidateScore.FINAL), result.candidates().stream()
                    .filter(c -> !CandidateScore.SEARCH.equals(c.phase()) && !CandidateScore.CROSS_FIT.equals(c.phase()))
                    .map(CandidateScore::phase).toList());
        } finally {
            result.outOfFold().unpersist();
        }
    }

    @Test
    void aLastRungOverTheWholePoolHandsItsBestTwoToTheCrossFitAndLeavesNothingCached() {
        SurrogateSpec good = lr("lr-1e-3", 20);
        SurrogateSpec strong = lr("lr-1e-2", 20);
        SurrogateSpec stump = stump();
        int cachedBefore = spark.sparkContext().getPersistentRDDs().size();
        ZooTrainer trainer = new ZooTrainer(spark, zoo("light", List.of(), List.of()), labels, 42L);
        // 1,200 rows: a holdout of 240, so rung 0 (960 rows) is already the whole pool
        ZooResult result = trainer.train(SyntheticClusters.withFolds(rows, 3), List.of(stump, good, strong));
        try {
            assertEquals(List.of(CandidateScore.SEARCH, CandidateScore.SEARCH, CandidateScore.SEARCH,
                            CandidateScore.CROSS_FIT, CandidateScore.CROSS_FIT, CandidateScore.FINAL),
                    result.candidates().stream().map(CandidateScore::phase).toList());
            assertEquals(List.of(0, 0, 0), result.searchScores().stream().map(CandidateScore::rung).toList());
            assertEquals(java.util.Set.of("lr-1e-3", "lr-1e-2"), result.candidates().stream()
                    .filter(c -> CandidateScore.CROSS_FIT.equals(c.phase())).map(CandidateScore::name)
                    .collect(java.util.stream.Collectors.toSet()));
            assertEquals(result.winnerSpec().name(), result.candidates().get(5).name());
        } finally {
            result.outOfFold().unpersist();
        }
        // the holdout, the rung's sample, the cross-fit sample and the loser's predictions are released
        assertEquals(cachedBefore, spark.sparkContext().getPersistentRDDs().size());
    }

    @Test
    void foldsAreAssignedWhenTheRowsHaveNone() {
        SurrogateSpec good = lr("lr-1e-2", 20);
        ZooTrainer trainer = new ZooTrainer(spark, zoo("light", List.of(), List.of()), labels, 42L);
        ZooResult result = trainer.train(rows.limit(600), List.of(good));
        try {
            assertEquals(3, result.crossFit().foldScores().size());
            // one candidate: no search, a cross-fit and a final fit
            assertEquals(List.of(CandidateScore.CROSS_FIT, CandidateScore.FINAL),
                    result.candidates().stream().map(CandidateScore::phase).toList());
            assertEquals(3, result.outOfFold().select(Columns.FOLD).distinct().count());
        } finally {
            result.outOfFold().unpersist();
        }
    }

    @Test
    void unknownTeacherLabelIsRefusedByName() {
        LabelIndex partial = new LabelIndex(List.of("c0", "c1", "c2", "c3", "c4"));
        ZooTrainer trainer = new ZooTrainer(spark, zoo("light", List.of(), List.of()), partial, 42L);
        BadInputException e = assertThrows(BadInputException.class,
                () -> trainer.fit(SurrogateZoo.byName("lr-1e-2", DIM, K), rows));
        assertTrue(e.getMessage().contains("label index"), e.getMessage());
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) {
        ZooTrainer trainer = new ZooTrainer(spark, zoo("full", List.of(), List.of()), labels, 42L);
        Dataset<Row> test = labels.withLabelIndex(rows.limit(100));
        for (SurrogateSpec spec : cheapFull()) {
            if (!List.of("lr-1e-3", "mlp-2x32x16", "xgb", "nb-gaussian").contains(spec.name())) {
                continue;
            }
            // Without c2, so naive Bayes' mapping onto the label space must survive the round trip.
            SurrogateModel model = trainer.fit(spec, rows.limit(600).where(col(Columns.TEACHER).notEqual("c2")));
            String uri = dir.resolve(spec.name()).toUri().toString();
            model.save(uri);
            model.save(uri); // overwrites
            SurrogateModel loaded = SurrogateModel.load(uri);
            assertEquals(spec, loaded.spec());
            assertEquals(labels, loaded.labels());
            List<Row> a = model.predict(test).orderBy(Columns.TRACE_ID).select(Columns.PROBABILITY, Columns.PREDICTION).collectAsList();
            List<Row> b = loaded.predict(test).orderBy(Columns.TRACE_ID).select(Columns.PROBABILITY, Columns.PREDICTION).collectAsList();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0)).toArray(), 1e-12,
                        spec.name());
                assertEquals(a.get(i).getDouble(1), b.get(i).getDouble(1), spec.name());
            }
        }
    }

    @Test
    void macroF1AndAccuracyFromConfusionCounts() {
        // truth 0: 3 right, 1 predicted as 1; truth 1: 2 right; label 2 predicted once for truth 1.
        ClassificationScores s = ClassificationScores.of(List.of(
                new ClassificationScores.Cell(0, 0, 3), new ClassificationScores.Cell(0, 1, 1),
                new ClassificationScores.Cell(1, 1, 2), new ClassificationScores.Cell(1, 2, 1)));
        assertEquals(5.0 / 7.0, s.accuracy(), 1e-12);
        double f0 = 2.0 * 3 / (4 + 3);
        double f1 = 2.0 * 2 / (3 + 3);
        double f2 = 0.0;
        assertEquals((f0 + f1 + f2) / 3, s.macroF1(), 1e-12);
        assertEquals(s.accuracy(), s.metric("accuracy"));
        assertEquals(s.macroF1(), s.metric("macro-f1"));
    }

    /** A rung submits its costliest fits first; the full set's order follows the measured costs. */
    @Test
    void searchFitsAreSubmittedCostliestFirst() {
        List<String> order = SurrogateZoo.full(384, 77).stream().sorted(ZooTrainer.COSTLIEST_FIRST)
                .map(SurrogateSpec::name).toList();
        assertEquals(List.of("forest", "xgb", "tree", "mlp-2x256x128", "mlp-1x256"), order.subList(0, 5), order.toString());
        assertEquals("nb-gaussian", order.get(order.size() - 1), order.toString());
        assertTrue(order.subList(5, order.size() - 1).stream().allMatch(n -> n.startsWith("lr-")), order.toString());
    }

    /** A refit sees every row of its parts together and is recorded as one refit row of the candidates. */
    @Test
    void aRefitFitsTheSpecOnEveryRowOfItsPartsTogether() {
        SurrogateSpec spec = lr("lr-1e-2", 20);
        ZooTrainer trainer = new ZooTrainer(spark, zoo("light", List.of(), List.of()), labels, 42L);
        Dataset<Row> first = rows.where(org.apache.spark.sql.functions.pmod(
                org.apache.spark.sql.functions.xxhash64(col(Columns.TRACE_ID)), org.apache.spark.sql.functions.lit(2))
                .equalTo(0));
        Dataset<Row> second = rows.except(first);
        long a = first.count();
        long b = second.count();
        assertTrue(a > 100 && b > 100, a + " / " + b);
        ZooTrainer.Refit refit = trainer.refit(spec, List.of(first, second));
        assertEquals(CandidateScore.REFIT, refit.score().phase());
        assertEquals(spec.name(), refit.score().name());
        assertEquals(a + b, refit.score().trainRows());
        assertTrue(Double.isNaN(refit.score().mean()), "a refit has no rows left to be scored on");
        // the same rows in one part give the same model (up to MLlib's summation order)
        double[] together = refit.model().predict(rows).select(Columns.PROBABILITY).collectAsList().stream()
                .mapToDouble(r -> ((org.apache.spark.ml.linalg.Vector) r.get(0)).apply(0)).toArray();
        double[] once = trainer.fit(spec, rows).predict(rows).select(Columns.PROBABILITY).collectAsList().stream()
                .mapToDouble(r -> ((org.apache.spark.ml.linalg.Vector) r.get(0)).apply(0)).toArray();
        assertArrayEquals(once, together, 1e-4);
        // and a model of the first part alone differs
        double[] part = trainer.fit(spec, first).predict(rows).select(Columns.PROBABILITY).collectAsList().stream()
                .mapToDouble(r -> ((org.apache.spark.ml.linalg.Vector) r.get(0)).apply(0)).toArray();
        double most = 0;
        for (int i = 0; i < once.length; i++) {
            most = Math.max(most, Math.abs(once[i] - part[i]));
        }
        assertTrue(most > 1e-3, "a fit on half the rows moves a probability by " + most);
    }
}
