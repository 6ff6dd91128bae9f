package io.tracer.job;

import io.tracer.Columns;
import io.tracer.Lineage;
import io.tracer.Seeds;
import io.tracer.TracerException;
import io.tracer.calibrate.StartPoint;
import io.tracer.config.TracerConfig;
import io.tracer.embed.Embedder;
import io.tracer.embed.EncoderInfo;
import io.tracer.gate.GateEvaluator;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.ood.OodCalibrator;
import io.tracer.ood.OodConfig;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.CandidateCounter;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.GateScores;
import io.tracer.pipeline.PipelineCandidate;
import io.tracer.pipeline.RsbFamily;
import io.tracer.pipeline.SingleStageFamilies;
import io.tracer.pipeline.TargetOutcome;
import io.tracer.pipeline.TargetSelector;
import io.tracer.split.FoldAssigner;
import io.tracer.split.SplitAssigner;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import io.tracer.zoo.Features;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.ZooResult;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;

/**
 * {@code tracer fit}: from a trace table to certified outcomes per target. Publishing the
 * policy and writing the metric tables is {@link FitPublisher}'s job.
 */
public final class FitJob {
    private static final Logger LOG = LoggerFactory.getLogger(FitJob.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public FitJob(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    public FitResult run(FitRequest request) {
        StageClock clock = new StageClock(spark, request.runId());
        try {
            FitData data = prepare(request, clock);
            FitResult result = fit(request, data, clock);
            clock.stop();
            return result;
        } finally {
            clock.stop();
        }
    }

    /** Load, validate, embed when needed, split, index labels, assign folds. */
    FitData prepare(FitRequest request, StageClock clock) {
        clock.start("load", "read and validate traces from " + request.traces().uri());
        LoadedTraces loaded = new TraceLoader(spark, config.traces())
                .load(request.traces(), layout.quarantine(), request.runId());
        clock.rows(loaded.validCount());
        Dataset<Row> traces = loaded.valid();
        if (loaded.encoder().isEmpty()) {
            clock.start("embed", "embed " + loaded.validCount() + " texts with " + config.embed().encoder());
            clock.rows(loaded.validCount());
            traces = new Embedder(spark, config.embed(), Optional.of(layout.embeddingCache())).embed(traces).embedded();
        }
        EncoderInfo encoder = EncoderInfo.of(traces).orElseThrow(
                () -> new TracerException("the trace table has no embedding column after embedding"));

        clock.start("split", "split " + config.split() + " with seed " + config.seed());
        Dataset<Row> split = new SplitAssigner(config.split(), config.seed()).assign(traces);
        LabelIndex labels = LabelIndex.fromTeacher(split);
        Dataset<Row> rows = Lineage.persistCut(Features.add(labels.withLabelIndex(split))
                .select(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.LABEL_INDEX, Columns.FEATURES,
                        Columns.SPLIT));
        Dataset<Row> train = Lineage.persistCut(new FoldAssigner(config.zoo().folds(), config.seed())
                .assign(rows.where(col(Columns.SPLIT).equalTo(Columns.TRAIN))));
        Dataset<Row> selection = rows.where(col(Columns.SPLIT).equalTo(Columns.SELECTION));
        Dataset<Row> calibration = rows.where(col(Columns.SPLIT).equalTo(Columns.CALIBRATION));
        Map<String, Long> counts = splitCounts(rows);
        long nTrain = counts.getOrDefault(Columns.TRAIN, 0L);
        long nSel = counts.getOrDefault(Columns.SELECTION, 0L);
        long nCal = counts.getOrDefault(Columns.CALIBRATION, 0L);
        clock.rows(nTrain + nSel + nCal);
        LOG.info("{} labels; train {} / selection {} / calibration {} rows; encoder {} ({}-d)",
                labels.size(), nTrain, nSel, nCal, encoder.id(), encoder.dim());
        if (nTrain == 0 || nSel == 0 || nCal == 0) {
            throw new io.tracer.BadInputException("the trace table is too small to split: train " + nTrain
                    + ", selection " + nSel + ", calibration " + nCal + " rows");
        }
        return new FitData(encoder, labels, train, selection, calibration, nTrain, nSel, nCal,
                loaded.readCount(), loaded.validCount(), loaded.quarantinedCount(), loaded.deltaVersion());
    }

    private static Map<String, Long> splitCounts(Dataset<Row> rows) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Row r : rows.groupBy(Columns.SPLIT).count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        return counts;
    }

    /** Zoo, gates, families, selection and certification for every target. */
    FitResult fit(FitRequest request, FitData data, StageClock clock) {
        long seed = config.seed();
        clock.start("zoo", "cross-validate the surrogate zoo on " + data.trainRows() + " train rows");
        clock.rows(data.trainRows());
        ZooTrainer zooTrainer = new ZooTrainer(spark, config.zoo(), data.labels(), Seeds.derive(seed, "zoo"));
        ZooResult zoo = zooTrainer.train(data.train());
        SurrogateModel surrogate = zoo.winner();
        LOG.info("surrogate: {}", zoo.winnerSpec().name());

        clock.start("gates", "train gates " + config.gate().candidates() + " on out-of-fold predictions");
        clock.rows(data.trainRows());
        GateTrainer gateTrainer = new GateTrainer();
        Map<String, GateModel> gates = new LinkedHashMap<>();
        for (String name : config.gate().candidates()) {
            gates.put(name, gateTrainer.train(name, zoo.outOfFold(), Seeds.derive(seed, "gate/" + name)));
        }

        // --- out-of-distribution gate (tracer.ood) ---
        // Measured on train rows only, then flagged on selection and calibration before any family
        // counts them: the families score a flagged row NaN (never accepted), so what is certified
        // is the policy as routed, OOD deferrals included.
        Optional<OodGate> ood = Optional.empty();
        OodConfig oodConfig = OodConfig.from(config.raw());
        if (oodConfig.enabled()) {
            clock.start("ood", "measure the out-of-distribution gate on train rows");
            clock.rows(data.trainRows());
            ood = Optional.of(OodCalibrator.fit(surrogate.predict(data.train()), data.labels().size(), oodConfig));
        }
        // --- end out-of-distribution gate ---

        clock.start("score", "score selection and calibration rows");
        clock.rows(data.selectionRows() + data.calibrationRows());
        Dataset<Row> selection = Lineage.persistCut(
                flagOod(GateScores.addAll(surrogate.predictWithAgree(data.selection()), gates), ood));
        Dataset<Row> calibration = Lineage.persistCut(
                flagOod(GateScores.addAll(surrogate.predictWithAgree(data.calibration()), gates), ood));
        Map<String, Double> gateAuc = new LinkedHashMap<>();
        for (String name : gates.keySet()) {
            double auc = GateEvaluator.auc(selection.select(col(GateScores.column(name)).as(Columns.ACCEPT_SCORE),
                    col(Columns.AGREE)));
            gateAuc.put(name, auc);
            LOG.info("gate {}: AUC on the selection split {}", name, String.format("%.4f", auc));
        }

        clock.start("pipelines", "build and count the " + config.pipeline().families() + " families");
        clock.rows(data.selectionRows() + data.calibrationRows());
        CandidateCounter counter = new CandidateCounter(config.calibrate().gridSize());
        List<CandidateCounts> counted = new ArrayList<>();
        List<String> families = config.pipeline().families();
        if (families.contains("global")) {
            counted.add(counter.count(SingleStageFamilies.global(surrogate, selection, calibration)));
        }
        List<CandidateCounts> l2d = new ArrayList<>();
        if (families.contains("l2d") || families.contains("rsb")) {
            for (Map.Entry<String, GateModel> g : gates.entrySet()) {
                l2d.add(counter.count(SingleStageFamilies.l2d(surrogate, g.getKey(), g.getValue(),
                        selection, calibration)));
            }
        }
        if (families.contains("l2d")) {
            counted.addAll(l2d);
        }

        List<Double> targets = targets(request.deployTarget());
        if (families.contains("rsb")) {
            clock.start("rsb", "train second stages on deferred train rows");
            RsbFamily rsb = new RsbFamily(zooTrainer, gateTrainer, Seeds.derive(seed, "rsb"));
            for (double target : targets) {
                rsbCandidate(rsb, target, l2d, zoo, selection, calibration).ifPresent(c -> counted.add(counter.count(c)));
            }
        }

        clock.start("certify", "choose on selection, certify on calibration, per target");
        TargetSelector selector = new TargetSelector(config.calibrate().delta(), config.calibrate().minCoverage());
        List<TargetOutcome> outcomes = new ArrayList<>();
        for (double target : targets) {
            TargetOutcome o = selector.select(target, counted);
            outcomes.add(o);
            LOG.info("target {}: {} coverage {} ({})", target, o.method().id(),
                    String.format("%.4f", o.coverage()), o.reason());
        }
        clock.stop();
        return new FitResult(request, data, zoo, gates, gateAuc, counted, outcomes, selection, calibration,
                clock.seconds(), ood);
    }

    /** Adds the OOD distance and flag ({@link OodGate#flag}) from the first-stage prediction. */
    private static Dataset<Row> flagOod(Dataset<Row> predicted, Optional<OodGate> ood) {
        return ood.map(g -> g.flag(predicted, Columns.FEATURES, Columns.PREDICTION)).orElse(predicted);
    }

    /** The frontier's targets: the configured list plus the deploy target, ascending. */
    List<Double> targets(double deployTarget) {
        TreeSet<Double> all = new TreeSet<>(config.calibrate().targets());
        all.add(deployTarget);
        return List.copyOf(all);
    }

    /**
     * An RSB cascade for one target: the first stage is the L2D candidate the selection split
     * predicts to certify most coverage at this target, with its predicted threshold as t1.
     */
    private Optional<PipelineCandidate> rsbCandidate(RsbFamily rsb, double target, List<CandidateCounts> l2d,
                                                     ZooResult zoo, Dataset<Row> selection, Dataset<Row> calibration) {
        CandidateCounts best = null;
        StartPoint.Prediction bestPrediction = null;
        for (CandidateCounts c : l2d) {
            StartPoint.Prediction p = StartPoint.predict(c.selection(), c.calibration().n(), target,
                    config.calibrate().delta());
            if (p.certification().isCertified() && (bestPrediction == null
                    || p.certification().certifiedCoverage() > bestPrediction.certification().certifiedCoverage())) {
                best = c;
                bestPrediction = p;
            }
        }
        if (best == null) {
            LOG.info("rsb at target {}: no first stage is predicted to certify, skipped", target);
            return Optional.empty();
        }
        var certified = (io.tracer.calibrate.Certification.Certified) bestPrediction.certification();
        if (certified.coverage() >= 1.0) {
            LOG.info("rsb at target {}: the first stage already handles everything, skipped", target);
            return Optional.empty();
        }
        PipelineCandidate first = best.candidate();
        return rsb.build(target, zoo.winner(), zoo.winnerSpec(), first.gate(), first.stages().get(0).gate(),
                certified.threshold(), zoo.outOfFold(), selection, calibration);
    }
}
