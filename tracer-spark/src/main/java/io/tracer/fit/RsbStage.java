package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateTrainer;
import io.tracer.pipeline.CandidateCounter;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.RsbFamily;
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
import java.util.concurrent.Callable;

/**
 * Stage rsb: per target, a cascade whose first stage is the L2D candidate the selection split
 * predicts to certify most at that target (its predicted threshold becomes t1), and whose second
 * surrogate and gate are trained on the train rows the first stage defers.
 */
public final class RsbStage implements FitStage<CountedCandidates, CountedCandidates> {
    private static final Logger LOG = LoggerFactory.getLogger(RsbStage.class);

    private final SparkSession spark;
    private final TracerConfig config;

    public RsbStage(SparkSession spark, TracerConfig config) {
        this.spark = spark;
        this.config = config;
    }

    @Override
    public String name() {
        return "rsb";
    }

    @Override
    public String describe(CountedCandidates counted) {
        return "train second stages on deferred train rows";
    }

    @Override
    public CountedCandidates run(CountedCandidates counted) {
        ScoredSplits scored = counted.scored();
        SurrogateFit surrogate = scored.models().gates().surrogate();
        RsbFamily rsb = new RsbFamily(ZooStage.trainer(spark, config, surrogate.data()),
                new GateTrainer(scored.models().gates().neighbours().orElse(null)),
                Seeds.derive(config.seed(), "rsb"), config.pipeline().rsbRows());
        CandidateCounter counter = new CandidateCounter(config.calibrate().gridSize());
        List<Callable<Optional<CandidateCounts>>> builds = new ArrayList<>();
        // One scored cut per first-stage gate, shared by the targets whose first stage uses it.
        Map<String, Dataset<Row>> firstScored = new LinkedHashMap<>();
        for (double target : config.calibrate().frontierTargets()) {
            Optional<RsbFamily.FirstStage> first = RsbFamily.firstStage(counted.l2d(), target,
                    config.calibrate().delta());
            if (first.isEmpty()) {
                LOG.info("rsb at target {}: no first stage is predicted to certify, skipped", target);
                continue;
            }
            Optional<String> skip = RsbFamily.noSecondStage(first.get());
            if (skip.isPresent()) {
                LOG.info("rsb at target {}: {}; skipped", target, skip.get());
                continue;
            }
            Dataset<Row> firstRows = firstScored.computeIfAbsent(first.get().l2d().candidate().gate(),
                    gate -> RsbFamily.scoreFirstStage(surrogate.zoo().outOfFold(),
                            first.get().l2d().candidate().stages().get(0).gate()));
            builds.add(() -> rsb.build(target, surrogate.published(), surrogate.zoo().winnerSpec(), first.get(),
                            firstRows, scored.selection(), scored.calibration())
                    .map(counter::count));
        }
        try {
            // Scored here, once each, so the parallel builds read the cut instead of racing to compute it.
            firstScored.forEach((gate, rows) -> LOG.info("rsb: {} out-of-fold train rows scored by first-stage gate {}",
                    rows.count(), gate));
            List<CandidateCounts> cascades = new ArrayList<>();
            // Each build is a handful of small Spark jobs whose per-job overhead leaves cores idle,
            // so two at once finish sooner.
            for (Optional<CandidateCounts> c : SideBySide.run(spark, config.zoo().parallelism(), "rsb: second stages",
                    builds)) {
                c.ifPresent(cascades::add);
            }
            return counted.with(cascades);
        } finally {
            firstScored.values().forEach(Dataset::unpersist);
        }
    }
}
