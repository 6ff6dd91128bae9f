package io.tracer.fit;

import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.gate.NeighbourReference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
        TracerConfig.Gate settings = config.gate();
        boolean trained = settings.candidates().stream().anyMatch(n -> !GateTrainer.learnsNothing(n));
        // The reference is sampled from the out-of-fold train rows, the rows the gates learn from.
        if (settings.neighbours() > 0 && trained) {
            NeighbourReference.requireWithinBudget(surrogate.published().labels().size(),
                    settings.neighbourRowsPerLabel(), surrogate.data().encoder().dim());
        }
        Optional<NeighbourReference> neighbours = settings.neighbours() > 0 && trained
                ? Optional.of(NeighbourReference.sample(surrogate.zoo().outOfFold(), surrogate.published().labels().size(),
                        settings.neighbours(), settings.neighbourLabels(), settings.neighbourRowsPerLabel(),
                        Seeds.derive(config.seed(), "gate/neighbours")))
                : Optional.empty();
        GateTrainer trainer = new GateTrainer(neighbours.orElse(null));
        Map<String, GateModel> gates = new LinkedHashMap<>();
        for (String name : settings.candidates()) {
            gates.put(name, trainer.train(name, surrogate.zoo().outOfFold(), Seeds.derive(config.seed(), "gate/" + name)));
        }
        return new GateFit(surrogate, gates, neighbours);
    }
}
