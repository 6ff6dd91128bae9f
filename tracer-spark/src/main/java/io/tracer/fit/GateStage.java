package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stage gates: train every configured gate on the winner's out-of-fold predictions. */
public final class GateStage implements FitStage<SurrogateFit, GateFit> {
    private final TracerConfig config;

    public GateStage(TracerConfig config) {
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
        Map<String, GateModel> gates = new LinkedHashMap<>();
        for (String name : config.gate().candidates()) {
            gates.put(name, trainer.train(name, surrogate.zoo().outOfFold(), Seeds.derive(config.seed(), "gate/" + name)));
        }
        return new GateFit(surrogate, gates);
    }
}
