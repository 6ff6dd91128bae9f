package io.tracer.cli;

import io.tracer.update.UpdateJob;
import io.tracer.update.UpdateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Merge new traces into the trace history (a Delta table, one row per trace id), refit on "
                + "the whole history, write the per-label changes against the previous run, and publish the "
                + "new policy, made current only when it is certified.")
public final class UpdateCommand extends SparkCommand {
    @Mixin
    TraceOptions traces;
    @Mixin
    FitOptions fit;

    @Option(names = "--history", required = true, paramLabel = "URI",
            description = "Trace history Delta table (any Hadoop URI); created by the first update.")
    String history;

    @Override
    Map<String, String> configFlags() {
        return fit.overrides();
    }

    @Override
    int run(JobContext job) {
        UpdateJob.Updated done = new UpdateJob(job.spark(), job.config(), job.layout()).run(new UpdateRequest(
                traces.source(), history, fit.runId.orNew().value(), !fit.noPublish));
        System.out.println(done.summary());
        return TracerCli.EXIT_OK;
    }
}
