package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Stage gates: train every configured gate on the winner's out-of-fold predictions. The gates
 * are trained side by side ({@link SideBySide}): the boosted gate is XGBoost with one worker on
 * one core, so the logistic gate's passes use the other core instead of waiting their turn.
 */
public final class GateStage implements FitStage<SurrogateFit, GateFit> {
    private final SparkSession spark;
    private final TracerConfig config;

    public GateStage(SparkSession spark, TracerConfig config) {
        this.spark = spark;
        this.config = config;
    }

    @Override
    public String name() {
        return "gates";
    }

    @Override
    public String describe(SurrogateFit surrogate) {
        return "train gates " + config.gate().candidates() + " on out-of-fold predictions";
    }

    @Override
    public long rows(SurrogateFit surrogate, GateFit gates) {
        return surrogate.data().trainRows();
    }

    @Override
    public GateFit run(SurrogateFit surrogate) {
        GateTrainer trainer = new GateTrainer();
        List<String> names = config.gate().candidates();
        List<Callable<GateModel>> training = new ArrayList<>();
        for (String name : names) {
            training.add(() -> trainer.train(name, surrogate.zoo().outOfFold(),
                    Seeds.derive(config.seed(), "gate/" + name)));
        }
        List<GateModel> trained = SideBySide.run(spark, config.zoo().parallelism(), "gates", training);
        Map<String, GateModel> gates = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            gates.put(names.get(i), trained.get(i));
        }
        return new GateFit(surrogate, gates);
    }
}
