package io.tracer.fit;

import io.tracer.Columns;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.certify.TargetOutcome;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import io.tracer.pipeline.ScoredColumns;
import io.tracer.split.SplitAssigner;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A whole fit on small synthetic traces: outcomes, the published policy, the tables; the label
 * space taken from train and selection only; and a second run on the same split with the
 * calibration labels permuted, which must change nothing but the certificates.
 */
class FitRunTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static TracerConfig config;
    static LakehouseLayout layout;
    static FitRun.Finished first;
    static final long TRACES = 4000;
    static final long DUPLICATES = 7;
    static final long INVALID = 5;
    /** Rows of a label only the calibration split has (chosen so: few rows of a label split by their hash alone). */
    static final long CALIBRATION_ONLY = 3;
    static final String CALIBRATION_ONLY_LABEL = "zz-only-in-calibration";

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        config = ConfigLoader.load(null, Map.of(
                "tracer.lakehouse.root", dir.resolve("lake").toUri().toString(),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.calibrate.targets", "[0.8, 0.9, 0.95]",
                "tracer.calibrate.deploy-target", "0.9",
                "tracer.calibrate.grid-size", "200",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1, logistic]",
                // the opt-in neighbour input, on here so this fit (and the leak test) covers it
                "tracer.gate.neighbours", "5",
                "tracer.report.enabled", "false"));
        layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        String traces = dir.resolve("traces").toUri().toString();
        // The generated traces, a few re-logged traces (same id, so resolved as duplicates) and a few
        // rows without a teacher label (quarantined), written once: the table is at Delta version 0.
        Dataset<Row> generated = new SyntheticTraceGenerator(spark)
                .generate(SyntheticSpec.of(TRACES, 16, 8, 0.03, 0.0, 7)).cache();
        Dataset<Row> duplicates = generated.orderBy(Columns.TRACE_ID).limit((int) DUPLICATES);
        Dataset<Row> invalid = generated.orderBy(col(Columns.TRACE_ID).desc()).limit((int) INVALID)
                .withColumn(Columns.TRACE_ID, concat(col(Columns.TRACE_ID), lit("-no-teacher")))
                .withColumn(Columns.TEACHER, lit(null).cast("string"));
        // A label fewer than min-stratified-rows rows carry is split by each row's own hash, so these
        // ids land in calibration whatever else the table holds.
        Dataset<Row> candidates = generated.orderBy(Columns.TRACE_ID).limit(60)
                .withColumn(Columns.TRACE_ID, concat(lit("cal-only-"), col(Columns.TRACE_ID)))
                .withColumn(Columns.TEACHER, lit(CALIBRATION_ONLY_LABEL));
        List<String> calOnly = new SplitAssigner(config.split(), config.seed()).assign(candidates)
                .where(col(Columns.SPLIT).equalTo(Columns.CALIBRATION)).select(Columns.TRACE_ID).as(Encoders.STRING())
                .collectAsList().stream().sorted().limit(CALIBRATION_ONLY).toList();
        assertEquals(CALIBRATION_ONLY, calOnly.size());
        Dataset<Row> calibrationOnly = candidates.where(col(Columns.TRACE_ID).isin(calOnly.toArray()));
        generated.unionByName(duplicates).unionByName(invalid).unionByName(calibrationOnly)
                .write().format("delta").save(traces);
        generated.unpersist();
        first = new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(traces), "run-a", true,
                Optional.empty(), "fit"));
    }

    /** The neighbour input's reference holds train rows only: never a selection or calibration row. */
    @Test
    void theGatesNeighbourReferenceHoldsTrainRowsOnly() {
        FitResult fit = first.fit();
        io.tracer.gate.NeighbourReference reference = fit.gates().get("logistic").neighbours().orElseThrow();
        assertTrue(fit.gates().get("top1").neighbours().isEmpty(), "top1 reads no input");
        long trainInReference = fit.data().train().select(Columns.TRACE_ID).collectAsList().stream()
                .filter(r -> reference.isOwnRow(r.getString(0))).count();
        assertTrue(trainInReference > 0, "the reference is drawn from train rows");
        for (Dataset<Row> other : List.of(fit.data().selection(), fit.data().calibration())) {
            for (Row r : other.select(Columns.TRACE_ID).collectAsList()) {
                assertFalse(reference.isOwnRow(r.getString(0)), "trace " + r.getString(0) + " is not a train row");
            }
        }
    }

    /**
     * B1's hindsight coverage read on the calibration rows themselves: the certified threshold is
     * one a hindsight choice could make (its calibration agreement is at least the target), so
     * the hindsight figure can be no lower than the certified coverage; and routing with every
     * threshold open handles every row the certified policy handles, with the same label.
     */
    @Test
    void hindsightCoverageOnCalibrationRowsIsAtLeastTheCertifiedCoverage() {
        FitResult fit = first.fit();
        int dim = fit.data().encoder().dim();
        int deployedTargets = 0;
        for (TargetOutcome o : fit.outcomes()) {
            Optional<io.tracer.route.RoutingPlan> open =
                    io.tracer.bench.HindsightCoverage.acceptingAll(o, fit.data().labels(), dim, fit.ood());
            assertEquals(o.certified().isPresent(), open.isPresent(), "target " + o.target());
            if (open.isEmpty()) {
                continue;
            }
            deployedTargets++;
            Dataset<Row> calibration = fit.data().calibration();
            Dataset<Row> all = new io.tracer.route.BatchRouter(open.get()).route(calibration).cache();
            Dataset<Row> certified = new io.tracer.route.BatchRouter(io.tracer.route.RoutingPlan.of(o,
                    fit.data().labels(), dim, fit.ood())).route(calibration);
            double hindsight = io.tracer.bench.HindsightCoverage.of(all, o.target());
            assertTrue(hindsight >= o.coverage() - 1e-12,
                    "target " + o.target() + ": hindsight " + hindsight + " < certified " + o.coverage());
            assertTrue(hindsight <= 1.0);
            long lost = certified.where(col("decision").equalTo("handled")).select(col(Columns.TRACE_ID),
                            col("surrogate_label").as("certified_label"))
                    .join(all.where(col("decision").equalTo("handled")).select(col(Columns.TRACE_ID),
                            col("surrogate_label")), Columns.TRACE_ID, "left")
                    .where(col("surrogate_label").isNull()
                            .or(col("surrogate_label").notEqual(col("certified_label")))).count();
            assertEquals(0, lost, "target " + o.target()
                    + ": rows the certified policy handles that the open one does not, or labels differently");
            all.unpersist();
        }
        assertTrue(deployedTargets > 0, first.summary());
    }

    @Test
    void everyTargetHasAnOutcomeAndCertifiedOnesHoldTheirBound() {
        assertEquals(3, first.fit().outcomes().size());
        for (TargetOutcome o : first.fit().outcomes()) {
            o.certified().ifPresent(c -> {
                assertTrue(c.lowerBound() >= o.target(), "lower bound " + c.lowerBound() + " below " + o.target());
                assertTrue(c.empiricalAgreement() >= c.lowerBound());
                assertTrue(c.coverage() > 0 && c.coverage() <= 1);
            });
        }
        // synthetic traces this easy certify something at 0.8
        assertTrue(first.fit().outcome(0.8).certified().isPresent(), first.summary());
    }

    @Test
    void policyIsPublishedAndCurrentWithItsManifest() {
        PolicyStore store = new PolicyStore(layout.policyRoot(), spark.sparkContext().hadoopConfiguration());
        PolicyManifest m = store.current().orElseThrow().manifest();
        assertEquals("run-a", m.runId());
        assertEquals(0.9, m.target(), 1e-12);
        assertEquals(8, m.labels().size());
        assertEquals(16, m.encoder().dim());
        assertEquals(first.fit().deployed().method().id(), m.method().name().toLowerCase());
    }

    @Test
    void labelCoverageCountsWhatTheCertificateCounted() {
        // Out-of-distribution rows carry a NaN score; they must count as deferred here too.
        Dataset<Row> coverage = spark.read().format("delta").load(layout.labelCoverage())
                .where(col("run_id").equalTo("run-a"));
        for (TargetOutcome o : first.fit().outcomes()) {
            if (o.certified().isEmpty()) {
                continue;
            }
            Row sums = coverage.where(col("target").equalTo(o.target()))
                    .agg(org.apache.spark.sql.functions.sum("handled"), org.apache.spark.sql.functions.sum("agreeing"))
                    .first();
            assertEquals(o.certified().get().accepted(), sums.getLong(0), "handled at " + o.target());
            assertEquals(o.certified().get().agreeing(), sums.getLong(1), "agreeing at " + o.target());
        }
    }

    @Test
    void tablesCarryTheRunAndRerunReplacesRatherThanDuplicates() {
        Dataset<Row> frontier = spark.read().format("delta").load(layout.frontier());
        long frontierRows = frontier.where(col("run_id").equalTo("run-a")).count();
        assertTrue(frontierRows >= 3);
        // one certified row per target that deploys, none elsewhere; at most one selected row per target
        for (TargetOutcome o : first.fit().outcomes()) {
            Dataset<Row> at = frontier.where(col("run_id").equalTo("run-a").and(col("target").equalTo(o.target())));
            assertEquals(o.certified().isPresent() ? 1 : 0, at.where(col("certified")).count(), "target " + o.target());
            assertTrue(at.where(col("selected")).count() <= 1);
            o.certified().ifPresent(c -> assertEquals(c.threshold(),
                    at.where(col("certified")).first().<Double>getAs("threshold")));
        }
        Dataset<Row> coverage = spark.read().format("delta").load(layout.labelCoverage());
        // eight labels, plus the one only calibration has, at each of three targets
        assertEquals(3 * 9, coverage.where(col("run_id").equalTo("run-a")).count());
        Dataset<Row> runs = spark.read().format("delta").load(layout.runs());
        assertEquals("succeeded", runs.where(col("run_id").equalTo("run-a")).first().getAs("status"));
        // the traces are a Delta table written once: version 0, in the runs table and the manifest
        assertEquals(0L, (Long) runs.where(col("run_id").equalTo("run-a")).first().getAs("traces_version"));
        // every row read is accounted for: quarantined, a resolved duplicate, or in one split
        Row run = runs.where(col("run_id").equalTo("run-a")).first();
        long read = run.getAs("rows_read");
        assertEquals(TRACES + DUPLICATES + INVALID + CALIBRATION_ONLY, read);
        assertEquals(INVALID, (long) run.<Long>getAs("rows_quarantined"));
        assertEquals(DUPLICATES, (long) run.<Long>getAs("rows_duplicates"));
        assertEquals(read, run.<Long>getAs("rows_quarantined") + run.<Long>getAs("rows_duplicates")
                + run.<Long>getAs("rows_train") + run.<Long>getAs("rows_selection")
                + run.<Long>getAs("rows_calibration"));
        assertEquals(first.fit().data().trainRows(), (long) run.<Long>getAs("rows_train"));
        assertEquals(first.fit().data().calibration().count(), (long) run.<Long>getAs("rows_calibration"));
        assertEquals(0L, first.policy().orElseThrow().manifest().traces().deltaVersion());

        FitResult again = new FitJob(spark, config, layout).run(new FitRequest(
                TraceSource.of(dir.resolve("traces").toUri().toString()), "run-a", false, Optional.empty(), "fit"));
        new FitTables(spark, layout).write(again);
        assertEquals(frontierRows, spark.read().format("delta").load(layout.frontier())
                .where(col("run_id").equalTo("run-a")).count());
        // the same seed gives the same split and so the same certified counts
        assertEquals(first.fit().deployed().certified().map(c -> c.accepted()),
                again.deployed().certified().map(c -> c.accepted()));
    }

    /**
     * A calibration row whose teacher label the surrogate cannot predict (only calibration has
     * the label) is outside the label space: it changes neither the surrogate's width nor the
     * gates' features, and certification counts it as a disagreement, never as an error.
     */
    @Test
    void aLabelOnlyCalibrationHasIsOutsideTheLabelSpaceAndCountsAsADisagreement() {
        FitResult fit = first.fit();
        assertFalse(fit.data().labels().labels().contains(CALIBRATION_ONLY_LABEL));
        assertEquals(8, fit.data().labels().size());
        Dataset<Row> rows = fit.data().calibration().where(col(Columns.TEACHER).equalTo(CALIBRATION_ONLY_LABEL));
        assertEquals(CALIBRATION_ONLY, rows.count());
        assertEquals(CALIBRATION_ONLY, rows.where(col(Columns.LABEL_INDEX).isNull()).count());
        for (var c : fit.candidates()) {
            assertEquals(fit.data().calibrationRows(), c.calibration().n(), c.candidate().label() + " counts every row");
            Dataset<Row> scored = c.candidate().calibration()
                    .where(col(Columns.TEACHER).equalTo(CALIBRATION_ONLY_LABEL));
            assertEquals(CALIBRATION_ONLY, scored.count());
            assertEquals(0, scored.where(col(ScoredColumns.AGREE).notEqual(0.0)).count(), "never agrees");
        }
        Dataset<Row> coverage = spark.read().format("delta").load(layout.labelCoverage())
                .where(col("run_id").equalTo("run-a").and(col("label").equalTo(CALIBRATION_ONLY_LABEL)));
        assertEquals(3, coverage.count());
        for (Row r : coverage.collectAsList()) {
            assertEquals(CALIBRATION_ONLY, (long) r.<Long>getAs("rows"));
            assertEquals(0L, (long) r.<Long>getAs("agreeing"));
        }
    }

    /**
     * The published surrogate is the winner refitted on the train and selection rows together
     * (tracer.zoo.refit-rows; this table is under the cap): one refit row in the candidates,
     * counting both splits; every candidate's first stage carries it; it scores the calibration
     * rows, while the selection rows are scored by the winner's fit on train rows alone, which
     * never saw them. The two fits give different scores, so the test tells them apart.
     */
    @Test
    void theWinnerIsPublishedRefittedOnTrainAndSelectionAndSelectionIsScoredWithoutIt() {
        FitResult fit = first.fit();
        SurrogateFit surrogate = fit.surrogate();
        assertTrue(surrogate.refitted());
        List<io.tracer.zoo.CandidateScore> refits = fit.zoo().candidates().stream()
                .filter(c -> io.tracer.zoo.CandidateScore.REFIT.equals(c.phase())).toList();
        assertEquals(1, refits.size());
        assertEquals(fit.zoo().winnerSpec().name(), refits.get(0).name());
        assertEquals(fit.data().trainRows() + fit.data().selectionRows(), refits.get(0).trainRows());
        for (var c : fit.candidates()) {
            assertSame(surrogate.published(), c.candidate().stages().get(0).surrogate(), c.candidate().label());
        }
        Map<String, Double> selectionScored = top1(fit.selection());
        assertEquals(top1(scoredBy(fit, surrogate.selectionModel(), fit.data().selection())), selectionScored);
        assertNotEquals(top1(scoredBy(fit, surrogate.published(), fit.data().selection())), selectionScored);
        Map<String, Double> calibrationScored = top1(fit.calibration());
        assertEquals(top1(scoredBy(fit, surrogate.published(), fit.data().calibration())), calibrationScored);
        assertNotEquals(top1(scoredBy(fit, surrogate.selectionModel(), fit.data().calibration())), calibrationScored);
    }

    private static Dataset<Row> scoredBy(FitResult fit, io.tracer.zoo.SurrogateModel model, Dataset<Row> rows) {
        return io.tracer.pipeline.GateScores.addAll(model.predictWithAgree(rows), Map.of("top1", fit.gates().get("top1")));
    }

    /** trace id -> the top1 gate's score (the surrogate's top probability). */
    private static Map<String, Double> top1(Dataset<Row> scored) {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (Row r : scored.select(Columns.TRACE_ID, io.tracer.pipeline.GateScores.column("top1")).collectAsList()) {
            out.put(r.getString(0), r.getDouble(1));
        }
        return out;
    }

    /**
     * The leak test: the same split with the calibration rows' teacher labels permuted among
     * them. Nothing chosen before certification may move: the zoo's scores and winner, every
     * model's predictions and gate scores on selection, the OOD gate, every candidate's
     * threshold grid and selection counts, each target's selected candidate, start point and
     * pre-registered sequence, the RSB first-stage thresholds, and the published surrogate (refitted
     * on train and selection rows) on the calibration rows. Only certificates may change (and do:
     * the permuted labels agree far less).
     */
    @Test
    void permutingTheCalibrationLabelsChangesNothingButTheCertificates() {
        FitResult base = first.fit();
        FitData data = base.data();
        List<Row> cal = data.calibration().select(Columns.TRACE_ID, Columns.TEACHER).orderBy(Columns.TRACE_ID)
                .collectAsList();
        List<String> teachers = new ArrayList<>(cal.stream().map(r -> r.getString(1)).toList());
        java.util.Collections.shuffle(teachers, new java.util.Random(17));
        List<Row> mapping = new ArrayList<>();
        for (int i = 0; i < cal.size(); i++) {
            mapping.add(RowFactory.create(cal.get(i).getString(0), teachers.get(i)));
        }
        Dataset<Row> permutedTeacher = spark.createDataFrame(mapping, new StructType()
                .add(Columns.TRACE_ID, DataTypes.StringType).add("permuted", DataTypes.StringType));
        Dataset<Row> permuted = data.labels().withLabelIndex(data.calibration().join(permutedTeacher, Columns.TRACE_ID)
                .withColumn(Columns.TEACHER, col("permuted")).drop("permuted"));
        assertTrue(permuted.join(data.calibration().select(col(Columns.TRACE_ID), col(Columns.TEACHER).as("before")),
                Columns.TRACE_ID).where(col(Columns.TEACHER).notEqual(col("before"))).count() > cal.size() / 2);
        FitData shuffled = new FitData(data.request(), data.encoder(), data.labels(), data.train(), data.selection(),
                permuted, data.rows(), data.tracesVersion());
        FitResult again = new FitJob(spark, config, layout).fit(shuffled);

        // the zoo: the same scores, the same winner
        assertEquals(scores(base), scores(again));
        assertEquals(base.zoo().winnerSpec().name(), again.zoo().winnerSpec().name());
        // every model: the same predictions and gate scores on the selection split, the same gate
        // AUCs and OOD thresholds. Up to float noise: MLlib sums gradients in the order its tasks
        // finish, so two fits on the same rows differ in the last bits; a leak moves them far more.
        Map<String, List<Object>> before = selectionScores(base);
        Map<String, List<Object>> after = selectionScores(again);
        assertEquals(before.keySet(), after.keySet());
        int predictionsDiffer = 0;
        double maxGateDiff = 0;
        for (String id : before.keySet()) {
            List<Object> b = before.get(id);
            List<Object> a = after.get(id);
            predictionsDiffer += b.get(0).equals(a.get(0)) ? 0 : 1;
            for (int i = 1; i < b.size(); i++) {
                maxGateDiff = Math.max(maxGateDiff, Math.abs((Double) b.get(i) - (Double) a.get(i)));
            }
        }
        System.out.println("[leak-test] selection rows " + before.size() + ": predictions differ on " + predictionsDiffer
                + ", largest gate score difference " + maxGateDiff);
        assertEquals(0, predictionsDiffer, "predictions on selection");
        assertTrue(maxGateDiff <= 1e-6, "gate scores on selection move by " + maxGateDiff);
        base.gateAuc().forEach((g, auc) -> assertEquals(auc, again.gateAuc().get(g), 1e-6, "AUC of " + g));
        // the published surrogate: it never learns from a calibration row, so it scores them alike
        Map<String, Double> calBefore = top1(base.calibration());
        Map<String, Double> calAfter = top1(again.calibration());
        assertEquals(calBefore.keySet(), calAfter.keySet());
        calBefore.forEach((id, s) -> assertEquals(s, calAfter.get(id), 1e-6, "published surrogate on " + id));
        // the OOD gate
        assertArrayEquals(base.ood().orElseThrow().thresholds(), again.ood().orElseThrow().thresholds(), 1e-6);
        // every candidate: grid and selection counts; RSB's first-stage threshold
        assertEquals(base.candidates().size(), again.candidates().size());
        for (int i = 0; i < base.candidates().size(); i++) {
            var b = base.candidates().get(i);
            var a = again.candidates().get(i);
            String name = b.candidate().label() + "@" + b.candidate().target();
            assertEquals(name, a.candidate().label() + "@" + a.candidate().target());
            assertArrayEquals(b.selection().thresholds(), a.selection().thresholds(), 1e-6, name + ": grid");
            assertArrayEquals(b.selection().accepted(), a.selection().accepted(), name + ": selection counts");
            assertArrayEquals(b.selection().agreeing(), a.selection().agreeing(), name + ": selection counts");
            double t1b = b.candidate().stages().get(0).cascadeThreshold();
            double t1a = a.candidate().stages().get(0).cascadeThreshold();
            assertTrue(Double.isNaN(t1b) ? Double.isNaN(t1a) : Math.abs(t1b - t1a) <= 1e-6,
                    name + ": RSB first-stage threshold " + t1b + " vs " + t1a);
        }
        // every target: the selected candidate, its start, the whole pre-registered sequence
        boolean certificateMoved = false;
        for (TargetOutcome o : base.outcomes()) {
            TargetOutcome p = again.outcome(o.target());
            var bp = o.sequence().orElseThrow().plan();
            var ap = p.sequence().orElseThrow().plan();
            assertEquals(bp.selected(), ap.selected(), "target " + o.target());
            assertEquals(bp.steps(), ap.steps(), "target " + o.target());
            if (bp.selected() >= 0) {
                // the start's grid index and scaled counts exactly; its threshold up to the float noise above
                var bs = bp.predictions().get(bp.selected()).start();
                var as = ap.predictions().get(ap.selected()).start();
                assertEquals(bs.index(), as.index(), "target " + o.target() + ": start");
                assertEquals(bs.scaledAccepted(), as.scaledAccepted(), "target " + o.target() + ": start");
                assertEquals(bs.scaledAgreeing(), as.scaledAgreeing(), "target " + o.target() + ": start");
                assertEquals(bs.threshold(), as.threshold(), 1e-6, "target " + o.target() + ": start threshold");
            }
            certificateMoved |= !o.certified().map(c -> c.accepted() + "/" + c.agreeing())
                    .equals(p.certified().map(c -> c.accepted() + "/" + c.agreeing()));
        }
        assertTrue(certificateMoved, "the permuted labels do reach certification");
    }

    private static List<String> scores(FitResult fit) {
        return fit.zoo().candidates().stream().map(c -> c.name() + "/" + c.phase() + "/" + c.rung() + "/" + c.mean()
                + "/" + c.accuracy() + "/" + c.macroF1() + "/" + c.foldScores()).toList();
    }

    /** trace id -> prediction and every gate's score on the selection split. */
    private static Map<String, List<Object>> selectionScores(FitResult fit) {
        List<String> cols = new ArrayList<>(List.of(Columns.TRACE_ID, Columns.PREDICTION));
        fit.gates().keySet().forEach(g -> cols.add(io.tracer.pipeline.GateScores.column(g)));
        Map<String, List<Object>> out = new java.util.TreeMap<>();
        for (Row r : fit.selection().select(cols.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
            List<Object> v = new ArrayList<>();
            for (int i = 1; i < r.length(); i++) {
                v.add(r.get(i));
            }
            out.put(r.getString(0), v);
        }
        return out;
    }
}
