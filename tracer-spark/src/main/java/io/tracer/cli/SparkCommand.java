package io.tracer.cli;

import io.tracer.config.TracerConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A {@code tracer} command that runs a Spark job. A subclass declares its flags (the shared ones
 * through mixins: {@link CommonOptions} here, {@link LakehouseOption}, {@link RunIdOption},
 * {@link TraceOptions}, {@link FitOptions}), maps the flags that set configuration keys in
 * {@link #configFlags()}, and does its work in {@link #run(JobContext)}; the {@link JobShell}
 * does the rest. The shell is the one of the {@link TracerCli} the command runs under, or a
 * standalone one when the command is used on its own.
 */
abstract class SparkCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec commandSpec;

    /** The command's own flags as configuration overrides; they win over -D and --conf. */
    Map<String, String> configFlags() {
        return Map.of();
    }

    /** Checks the flags against the configuration before any session starts (bad input fails fast). */
    void check(TracerConfig config) {}

    /** The command's work, in a job the shell opened; returns the exit code. */
    abstract int run(JobContext job);

    /** The effective configuration: defaults, --conf, -D, then {@link #configFlags()}. */
    TracerConfig config() {
        return common.load(configFlags());
    }

    @Override
    public final Integer call() {
        TracerConfig config = config();
        check(config);
        return shell().run(appName(), config, this::run);
    }

    JobShell shell() {
        Object root = commandSpec == null ? null : commandSpec.root().userObject();
        return root instanceof TracerCli cli ? cli.shell() : JobShell.standalone();
    }

    /** The Spark application name: the command line's words, {@code tracer bench validity}. */
    String appName() {
        String name = commandSpec == null ? getClass().getSimpleName() : commandSpec.qualifiedName(" ");
        return name.startsWith("tracer ") ? name : "tracer " + name;
    }
}
