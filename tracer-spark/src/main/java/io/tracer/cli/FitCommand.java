package io.tracer.cli;

import io.tracer.fit.FitRequest;
import io.tracer.fit.FitRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.Optional;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit surrogates and gates on a trace table, certify a threshold per target, "
                + "publish the policy and write the metric tables.")
public final class FitCommand extends SparkCommand {
    @Mixin
    TraceOptions traces;
    @Mixin
    FitOptions fit;

    @Override
    Map<String, String> configFlags() {
        return fit.overrides();
    }

    @Override
    int run(JobContext job) {
        FitRun.Finished done = new FitRun(job.spark(), job.config(), job.layout()).run(new FitRequest(
                traces.source(), fit.runId.orNew().value(), !fit.noPublish,
                Optional.empty(), "fit"));
        System.out.println(done.summary());
        return TracerCli.EXIT_OK;
    }
}
