package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.zoo.ZooResult;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stage zoo: cross-validate the surrogate candidates on the train rows and refit the winner. */
public final class ZooStage implements FitStage<FitData, SurrogateFit> {
    private static final Logger LOG = LoggerFactory.getLogger(ZooStage.class);

    private final SparkSession spark;
    private final TracerConfig config;

    public ZooStage(SparkSession spark, TracerConfig config) {
        this.spark = spark;
        this.config = config;
    }

    /** The trainer the zoo and RSB's second stages share: same label space, same seed stream. */
    static ZooTrainer trainer(SparkSession spark, TracerConfig config, FitData data) {
        return new ZooTrainer(spark, config.zoo(), data.labels(), Seeds.derive(config.seed(), "zoo"));
    }

    @Override
    public String name() {
        return "zoo";
    }

    @Override
    public String describe(FitData data) {
        return "cross-validate the surrogate zoo on " + data.trainRows() + " train rows";
    }

    @Override
    public long rows(FitData data, SurrogateFit surrogate) {
        return data.trainRows();
    }

    @Override
    public SurrogateFit run(FitData data) {
        ZooResult zoo = trainer(spark, config, data).train(data.train());
        LOG.info("surrogate: {}", zoo.winnerSpec().name());
        return new SurrogateFit(data, zoo);
    }
}
