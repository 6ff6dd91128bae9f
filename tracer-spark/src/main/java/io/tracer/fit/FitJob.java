package io.tracer.fit;

import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tracer fit}, from a trace table to certified outcomes per target: the stage chain in
 * data-flow order, each stage taking the previous one's record. Publishing the policy and
 * writing the metric tables follow in {@link FitRun}.
 */
public final class FitJob {
    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;
    private final StageObserver observer;

    public FitJob(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this(spark, config, layout, StageObserver.NONE);
    }

    /** @param observer told as each stage ends ({@link StageClock}) */
    public FitJob(SparkSession spark, TracerConfig config, LakehouseLayout layout, StageObserver observer) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
        this.observer = observer;
    }

    public FitResult run(FitRequest request) {
        StageClock clock = new StageClock(spark, request.runId(), observer);
        try {
            LoadStage.Loaded loaded = clock.run(new LoadStage(spark, config.traces(), layout), request);
            EmbedStage.Embedded embedded = loaded.needsEmbedding()
                    ? clock.run(new EmbedStage(spark, config.embed(), layout), loaded)
                    : EmbedStage.Embedded.asRead(loaded);
            FitData data = clock.run(new SplitStage(config), embedded);
            return fit(data, clock);
        } finally {
            clock.stop();
        }
    }

    /**
     * The stages after the split, from prepared rows: zoo, gates, OOD gate, scoring, pipelines,
     * RSB, certification. A test runs it on the same split with the calibration labels permuted.
     */
    public FitResult fit(FitData data) {
        StageClock clock = new StageClock(spark, data.request().runId(), observer);
        try {
            return fit(data, clock);
        } finally {
            clock.stop();
        }
    }

    private FitResult fit(FitData data, StageClock clock) {
        SurrogateFit surrogate = clock.run(new ZooStage(spark, config), data);
        GateFit gates = clock.run(new GateStage(config), surrogate);
        OodFit models = config.ood().enabled() ? clock.run(new OodStage(config.ood()), gates)
                : OodFit.disabled(gates);
        ScoredSplits scored = clock.run(new ScoreStage(), models);
        CountedCandidates counted = clock.run(new PipelineStage(config), scored);
        if (config.pipeline().families().contains("rsb")) {
            counted = clock.run(new RsbStage(spark, config), counted);
        }
        Frontier frontier = clock.run(new CertifyStage(config.calibrate()), counted);
        return new FitResult(counted, frontier, clock.seconds());
    }
}
