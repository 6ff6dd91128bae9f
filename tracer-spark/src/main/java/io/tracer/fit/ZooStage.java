package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.zoo.ZooResult;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Stage zoo: cross-validate the surrogate candidates on the train rows and fit the winner on every
 * train row; then, on a table small enough ({@code tracer.zoo.refit-rows}), refit it on the train
 * and selection rows together for publication ({@link SurrogateFit} says why that is sound).
 */
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
        ZooTrainer trainer = trainer(spark, config, data);
        ZooResult zoo = trainer.train(data.train());
        long both = data.trainRows() + data.selectionRows();
        if (data.selectionRows() > 0 && both <= config.zoo().refitRows()) {
            ZooTrainer.Refit refit = trainer.refit(zoo.winnerSpec(), List.of(data.train(), data.selection()));
            LOG.info("surrogate: {}, published as its refit on {} train and selection rows", zoo.winnerSpec().name(),
                    both);
            return new SurrogateFit(data, zoo.with(refit.score()), refit.model());
        }
        LOG.info("surrogate: {}{}", zoo.winnerSpec().name(), config.zoo().refitRows() == 0 ? ""
                : " (" + both + " train and selection rows, over " + ConfigKeys.ZOO_REFIT_ROWS + " = "
                        + config.zoo().refitRows() + ": published as fitted on the train rows)");
        return new SurrogateFit(data, zoo, zoo.winner());
    }
}
