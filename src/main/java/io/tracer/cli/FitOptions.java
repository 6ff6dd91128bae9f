package io.tracer.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options shared by the commands that fit (fit, demo, update): each maps to a config key. */
public final class FitOptions {
    @Option(names = "--target", paramLabel = "T",
            description = "Agreement target of the published policy, e.g. 0.95 (tracer.calibrate.deploy-target).")
    Double target;

    @Option(names = "--delta", paramLabel = "D",
            description = "Allowed failure probability of the guarantee (tracer.calibrate.delta).")
    Double delta;

    @Option(names = "--zoo", paramLabel = "SET", description = "Surrogate zoo: light or full (tracer.zoo.set).")
    String zoo;

    @Option(names = "--lakehouse", paramLabel = "URI",
            description = "Lakehouse root for tables and policies (tracer.lakehouse.root).")
    String lakehouse;

    @Option(names = "--seed", description = "Root seed (tracer.seed).")
    Long seed;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id (default: UTC time + random suffix). Re-running an id replaces its table rows.")
    String runId;

    @Option(names = "--no-publish", description = "Compute and write tables, but publish no policy.")
    boolean noPublish;

    Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        if (target != null) {
            m.put("tracer.calibrate.deploy-target", target.toString());
        }
        if (delta != null) {
            m.put("tracer.calibrate.delta", delta.toString());
        }
        if (zoo != null) {
            m.put("tracer.zoo.set", zoo);
        }
        if (lakehouse != null) {
            m.put("tracer.lakehouse.root", lakehouse);
        }
        if (seed != null) {
            m.put("tracer.seed", seed.toString());
        }
        return m;
    }
}
