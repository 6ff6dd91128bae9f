package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateTrainer;
import io.tracer.pipeline.CandidateCounter;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.RsbFamily;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        RsbFamily rsb = new RsbFamily(ZooStage.trainer(spark, config, surrogate.data()), new GateTrainer(),
                Seeds.derive(config.seed(), "rsb"));
        CandidateCounter counter = new CandidateCounter(config.calibrate().gridSize());
        List<CandidateCounts> cascades = new ArrayList<>();
        for (double target : config.calibrate().frontierTargets()) {
            Optional<RsbFamily.FirstStage> first = RsbFamily.firstStage(counted.l2d(), target,
                    config.calibrate().delta());
            if (first.isEmpty()) {
                LOG.info("rsb at target {}: no first stage is predicted to certify, skipped", target);
                continue;
            }
            if (first.get().predicted().coverage() >= 1.0) {
                LOG.info("rsb at target {}: the first stage already handles everything, skipped", target);
                continue;
            }
            rsb.build(target, surrogate.winner(), surrogate.zoo().winnerSpec(), first.get(),
                            surrogate.zoo().outOfFold(), scored.selection(), scored.calibration())
                    .ifPresent(c -> cascades.add(counter.count(c)));
        }
        return counted.with(cascades);
    }
}
