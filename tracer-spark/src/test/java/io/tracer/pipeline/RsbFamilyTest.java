package io.tracer.pipeline;

import io.tracer.Columns;
import io.tracer.calibrate.Certification;
import io.tracer.calibrate.ThresholdCounts;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.ood.OodGate;
import io.tracer.policy.CascadeScore;
import io.tracer.testing.SparkTestSession;
import io.tracer.zoo.Features;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogatePipelines;
import io.tracer.zoo.SurrogateSpec;
import io.tracer.zoo.SurrogateZoo;
import io.tracer.zoo.SyntheticClusters;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.*;

/**
 * RSB's cascade expression row by row against {@link CascadeScore} (the rule both routers
 * follow), NaN and null first-stage scores and OOD rows included; and the first stage chosen on
 * the selection split only.
 */
class RsbFamilyTest {
    static final double T1 = 0.6;
    static Dataset<Row> firstStage;
    static Dataset<Row> prepared;
    static LabelIndex labels;
    static SurrogateModel second;
    static GateModel secondGate;

    @BeforeAll
    static void fit() {
        Dataset<Row> rows = SyntheticClusters.make(600, 4, 8, 0.6, 5);
        labels = LabelIndex.fromTeacher(rows);
        prepared = Features.add(labels.withLabelIndex(rows)).cache();
        SurrogateSpec spec = SurrogateZoo.byName("lr-1e-3", 8, 4);
        second = new SurrogateModel(spec, labels, SurrogatePipelines.build(spec, 8, 4, 11).fit(prepared));
        secondGate = new GateTrainer().train("top1", second.predictWithAgree(prepared), 5);
        // A stand-in first stage: the same surrogate's answers, with first-stage gate scores set per row:
        // above t1, exactly t1, below, NaN, null; every seventh row flagged out of distribution.
        Column bucket = pmod(xxhash64(col(Columns.TRACE_ID)), lit(5));
        Column s1 = when(bucket.equalTo(0), lit(0.9)).when(bucket.equalTo(1), lit(T1))
                .when(bucket.equalTo(2), lit(0.2)).when(bucket.equalTo(3), lit(Double.NaN))
                .otherwise(lit(null).cast("double"));
        firstStage = second.predictWithAgree(prepared)
                .withColumn(GateScores.column("top1"), s1)
                .withColumn(OodGate.FLAG, pmod(xxhash64(col(Columns.TRACE_ID), lit(1)), lit(7)).equalTo(0))
                .cache();
    }

    @Test
    void cascadeScoresEveryRowAsCascadeScoreDoes() {
        Dataset<Row> out = RsbFamily.cascade(firstStage, "top1", T1, second, secondGate);
        // the rows carry what every family's scored rows carry: the per-label tables group by teacher
        assertEquals(List.of(Columns.TRACE_ID, Columns.TEACHER, Columns.LABEL_INDEX),
                Arrays.asList(out.columns()).subList(0, 3));
        assertEquals(0, out.where(col(Columns.TEACHER).isNull()).count());
        Map<String, Double> s2 = new HashMap<>();
        for (Row r : GateScores.add(second.predict(firstStage.drop(Columns.PREDICTION, Columns.PROBABILITY,
                        "rawPrediction")), secondGate, "s2").select(Columns.TRACE_ID, "s2").collectAsList()) {
            s2.put(r.getString(0), r.getDouble(1));
        }
        Map<String, Row> first = new HashMap<>();
        for (Row r : firstStage.select(Columns.TRACE_ID, GateScores.column("top1"), Columns.AGREE, Columns.PREDICTION,
                OodGate.FLAG).collectAsList()) {
            first.put(r.getString(0), r);
        }
        int[] seen = new int[3];
        int nanOrNullToStage2 = 0;
        for (Row r : out.select(Columns.TRACE_ID, ScoredColumns.SCORE, ScoredColumns.STAGE, ScoredColumns.AGREE)
                .collectAsList()) {
            Row f = first.get(r.getString(0));
            double s1 = f.isNullAt(1) ? Double.NaN : f.getDouble(1);
            boolean firstHandles = CascadeScore.firstStageHandles(s1, T1);
            double expected = f.getBoolean(4) ? Double.NaN : CascadeScore.combine(s1, T1, s2.get(r.getString(0)));
            double score = r.isNullAt(1) ? Double.NaN : r.getDouble(1);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(score),
                    r.getString(0) + ": s1 " + s1 + " score " + score + " expected " + expected);
            assertEquals(firstHandles ? 1 : 2, r.getInt(2), r.getString(0) + " stage");
            if (firstHandles) {
                assertEquals(f.getDouble(2), r.getDouble(3), "stage-1 rows carry the first stage's agree");
            }
            seen[r.getInt(2)]++;
            nanOrNullToStage2 += Double.isNaN(s1) && r.getInt(2) == 2 ? 1 : 0;
        }
        assertEquals(600, seen[1] + seen[2]);
        assertTrue(seen[1] > 150 && seen[2] > 300, "stage 1: " + seen[1] + ", stage 2: " + seen[2]);
        assertTrue(nanOrNullToStage2 > 150, "NaN and null first-stage scores go to stage 2: " + nanOrNullToStage2);
    }

    @Test
    void theTieAtTheFirstStageThresholdStaysAtStageOne() {
        Row r = RsbFamily.cascade(firstStage.where(col(GateScores.column("top1")).equalTo(T1)
                        .and(col(OodGate.FLAG).unary_$bang())), "top1", T1, second, secondGate)
                .agg(org.apache.spark.sql.functions.min(ScoredColumns.STAGE),
                        org.apache.spark.sql.functions.min(ScoredColumns.SCORE)).first();
        assertEquals(1, r.getInt(0));
        assertEquals(1.0 + T1, r.getDouble(1), 0.0);
    }

    /**
     * A built RSB candidate: stage 1 the first surrogate and gate at t1, stage 2 a surrogate
     * trained on the rows stage 1 defers, with a gate of the first stage's kind. A top1 second
     * gate learns nothing, so its surrogate is fitted once, with no fold fits; a logistic one is
     * trained on the second surrogate's out-of-fold rows, so its folds are fitted. In both, the
     * cascade scores every selection row and sends exactly the rows below t1 to stage 2.
     */
    @Test
    void buildTrainsASecondStageOnTheDeferredRowsForALearnedAndAFixedGate() {
        // lr-1e-3 under a name of its own, so the fold job groups counted are this test's
        SurrogateSpec lr = SurrogateZoo.byName("lr-1e-3", 8, 4);
        SurrogateSpec spec = new SurrogateSpec("rsb-test-lr", lr.kind(), lr.params());
        ZooTrainer trainer = new ZooTrainer(SparkTestSession.get(),
                new TracerConfig.Zoo("light", List.of(), List.of(), 200, 240, 2, 50000, 0.02, "macro-f1", 2, 50000), labels, 17);
        RsbFamily rsb = new RsbFamily(trainer, new GateTrainer(), 19, 5000);
        // out-of-fold rows as the zoo leaves them, with two folds
        Dataset<Row> outOfFold = second.predictWithAgree(prepared)
                .withColumn(Columns.FOLD, pmod(xxhash64(col(Columns.TRACE_ID), lit(3)), lit(2)).cast("int"));
        for (String gate : List.of("top1", "logistic")) {
            GateModel firstGate = new GateTrainer().train(gate, outOfFold, 5);
            Dataset<Row> scored = GateScores.add(second.predictWithAgree(prepared), firstGate, GateScores.column(gate))
                    .withColumn(OodGate.FLAG, lit(false));
            Dataset<Row> firstScored = RsbFamily.scoreFirstStage(outOfFold, firstGate);
            // t1 at the median first-stage score: half the rows are deferred
            double t1 = firstScored.stat().approxQuantile(RsbFamily.FIRST_SCORE, new double[] {0.5}, 0.0)[0];
            long below = scored.where(col(GateScores.column(gate)).lt(t1)).count();
            PipelineCandidate l2d = new PipelineCandidate(Family.L2D, "lr-1e-3", gate,
                    List.of(new PolicyStage(1, second, firstGate, Double.NaN)), Double.NaN, scored, scored);
            Certification.Certified predicted = new Certification.Certified(0, 0, t1, 300, 297, 600, 0.5, 0.99,
                    0.97, 0.001, 0.95, 0.05);
            RsbFamily.FirstStage first = new RsbFamily.FirstStage(new CandidateCounts(l2d, null, null), predicted);
            int foldJobsBefore = foldJobs(spec);
            PipelineCandidate built = rsb.build(0.95, second, spec, first, firstScored, scored, scored).orElseThrow();
            int foldJobs = foldJobs(spec) - foldJobsBefore;
            firstScored.unpersist();

            assertEquals(Family.RSB, built.family());
            assertEquals(2, built.stages().size());
            PolicyStage stage2 = built.stages().get(1);
            assertEquals(gate, stage2.gate().name(), "the second gate is of the first gate's kind");
            assertEquals(t1, built.stages().get(0).cascadeThreshold(), 0.0, "t1 is the predicted threshold");
            if (GateTrainer.learnsNothing(gate)) {
                assertEquals(0, foldJobs, "a top1 second stage fits no folds");
            } else {
                assertTrue(foldJobs > 0, gate + ": the second stage's folds are fitted for its gate");
            }
            double accuracy = stage2.surrogate().predictWithAgree(prepared).agg(avg(Columns.AGREE)).first().getDouble(0);
            assertTrue(accuracy > 0.5, gate + ": the second surrogate answers well above chance (4 labels): " + accuracy);
            Dataset<Row> cascade = built.selection();
            assertEquals(600, cascade.count(), gate + ": every selection row is scored");
            assertTrue(below >= 200 && below <= 400, gate + ": about half the rows below t1: " + below);
            assertEquals(below, cascade.where(col(ScoredColumns.STAGE).equalTo(2)).count(),
                    gate + ": exactly the rows below t1 reach the second stage");
        }
    }

    /** Spark jobs run so far under the zoo's fold job groups of {@code spec} (folds 0 and 1). */
    private static int foldJobs(SurrogateSpec spec) {
        SparkStatusTracker tracker = SparkTestSession.get().sparkContext().statusTracker();
        return tracker.getJobIdsForGroup(ZooTrainer.foldGroup(spec, 0)).length
                + tracker.getJobIdsForGroup(ZooTrainer.foldGroup(spec, 1)).length;
    }

    /** The first stage is chosen on selection counts; calibration contributes its size only. */
    @Test
    void theFirstStageIsTheL2dCandidateTheSelectionSplitPredictsToCertifyMost() {
        double[] t = {0.9, 0.7, 0.5, 0.3, 0.1};
        long[] acc = {200, 400, 600, 800, 1000};
        ThresholdCounts strong = new ThresholdCounts(t, acc, new long[] {200, 400, 598, 700, 800}, 1000, 0);
        ThresholdCounts weak = new ThresholdCounts(t, acc, new long[] {199, 390, 560, 700, 800}, 1000, 0);
        ThresholdCounts perfect = new ThresholdCounts(t, acc, acc, 1000, 0);
        CandidateCounts a = l2d("a", weak, perfect);
        CandidateCounts b = l2d("b", strong, new ThresholdCounts(t, new long[5], new long[5], 1000, 1000));
        Optional<RsbFamily.FirstStage> f = RsbFamily.firstStage(List.of(a, b), 0.95, 0.05);
        assertEquals("b", f.orElseThrow().l2d().candidate().gate(), "b is stronger on selection");
        assertEquals(0.5, f.get().predicted().threshold(), 0.0, "t1 is b's predicted certified threshold");
        // nothing predicted to certify: no first stage, whatever calibration says
        assertTrue(RsbFamily.firstStage(List.of(l2d("c", new ThresholdCounts(t, acc, new long[] {150, 300, 450, 600, 750},
                1000, 0), perfect)), 0.95, 0.05).isEmpty());
    }

    /** A second stage only behind a first stage predicted to accept at least a tenth of rows, and not all. */
    @Test
    void aFirstStageThatAcceptsAlmostNothingOrEverythingGetsNoSecondStage() {
        CandidateCounts c = l2d("boosted", new ThresholdCounts(new double[] {0.5}, new long[] {1}, new long[] {1}, 10, 0),
                null);
        assertEquals(Optional.empty(), RsbFamily.noSecondStage(first(c, 0.5)));
        assertEquals(Optional.empty(), RsbFamily.noSecondStage(first(c, RsbFamily.MIN_FIRST_STAGE_COVERAGE)));
        String few = RsbFamily.noSecondStage(first(c, 0.025)).orElseThrow();
        assertTrue(few.contains("boosted") && few.contains("2.5%") && few.contains("10%"), few);
        assertTrue(RsbFamily.noSecondStage(first(c, 1.0)).orElseThrow().contains("handles everything"));
    }

    private static RsbFamily.FirstStage first(CandidateCounts c, double coverage) {
        return new RsbFamily.FirstStage(c, new Certification.Certified(0, 0, 0.7, 100, 99, 1000, coverage, 0.99, 0.97, 0.001, 0.95, 0.05));
    }

    static CandidateCounts l2d(String gate, ThresholdCounts selection, ThresholdCounts calibration) {
        PipelineCandidate c = new PipelineCandidate(Family.L2D, "lr", gate,
                List.of(new PolicyStage(1, null, null, Double.NaN)), Double.NaN, null, null);
        return new CandidateCounts(c, selection, calibration);
    }
}
