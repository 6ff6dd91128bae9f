package io.tracer.cli;

import io.tracer.config.ConfigKeys;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options shared by the commands that fit (fit, demo, update, the benchmarks): each maps to a
 * config key, plus the lakehouse root, the run id and --no-publish.
 */
public final class FitOptions {
    @Option(names = "--target", paramLabel = "T",
            description = "Agreement target of the published policy, e.g. 0.95 (" + ConfigKeys.CALIBRATE_DEPLOY_TARGET + ").")
    Double target;

    @Option(names = "--delta", paramLabel = "D",
            description = "Allowed failure probability of the guarantee (" + ConfigKeys.CALIBRATE_DELTA + ").")
    Double delta;

    @Option(names = "--zoo", paramLabel = "SET", description = "Surrogate zoo: light or full (" + ConfigKeys.ZOO_SET + ").")
    String zoo;

    @Mixin
    LakehouseOption lakehouse = new LakehouseOption();

    @Option(names = "--seed", description = "Root seed (" + ConfigKeys.SEED + ").")
    Long seed;

    @Mixin
    RunIdOption runId = new RunIdOption();

    @Option(names = "--no-publish", description = "Compute and write tables, but publish no policy.")
    boolean noPublish;

    Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        if (target != null) {
            m.put(ConfigKeys.CALIBRATE_DEPLOY_TARGET, target.toString());
        }
        if (delta != null) {
            m.put(ConfigKeys.CALIBRATE_DELTA, delta.toString());
        }
        if (zoo != null) {
            m.put(ConfigKeys.ZOO_SET, zoo);
        }
        m.putAll(lakehouse.overrides());
        if (seed != null) {
            m.put(ConfigKeys.SEED, seed.toString());
        }
        return m;
    }
}
