package io.tracer.cli;

import io.tracer.config.ConfigKeys;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.log.LogLevels;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options every job takes: a config file, -D overrides and --quiet. */
public final class CommonOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON config file (any Hadoop URI); overrides the bundled defaults.")
    String confFile;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one config key, e.g. -D" + ConfigKeys.SPLIT_TRAIN + "=0.7 (the "
                    + ConfigKeys.PREFIX + ". prefix is optional).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = {"-q", "--quiet"},
            description = "Log only warnings and errors; what the command prints on stdout (the summary, "
                    + "JSON) is unchanged. TRACER_LOG_LEVEL=debug (jobs/tracer) logs more.")
    void quiet(boolean quiet) {
        if (quiet) {
            LogLevels.quiet();
        }
    }

    /** These options as command-line arguments, for a child process that should see the same configuration. */
    public java.util.List<String> asArguments() {
        java.util.List<String> args = new java.util.ArrayList<>();
        if (confFile != null) {
            args.add("--conf");
            args.add(confFile);
        }
        overrides.forEach((k, v) -> args.add("-D" + k + "=" + v));
        return args;
    }

    /** Loads the config; {@code flagOverrides} are the command's own flags, which win over everything. */
    public TracerConfig load(Map<String, String> flagOverrides) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(flagOverrides);
        return ConfigLoader.load(confFile, all);
    }
}
