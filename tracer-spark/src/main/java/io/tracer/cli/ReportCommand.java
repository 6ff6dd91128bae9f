package io.tracer.cli;

import io.tracer.RunId;
import io.tracer.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * {@code tracer report --run-id ID}: renders a fit's HTML report again from its rows in the
 * lakehouse (frontier, slices, boundary_pairs, examples), e.g. after the page was deleted or to
 * pick up a newer renderer. The tables themselves are written by the fit.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Renders the HTML report of a fit run from its metric tables to <lakehouse>/reports/<run id>.html "
                + "and prints its URI.")
public final class ReportCommand extends SparkCommand {
    @Option(names = "--run-id", required = true, paramLabel = "ID", converter = RunIdOption.Converter.class,
            description = "The fit run to report on.")
    RunId runId;

    @Mixin
    LakehouseOption lakehouse;

    @Override
    Map<String, String> configFlags() {
        return lakehouse.overrides();
    }

    @Override
    int run(JobContext job) {
        System.out.println(render(job));
        return TracerCli.EXIT_OK;
    }

    /** Renders the page; returns its URI. */
    String render(JobContext job) {
        return new ReportWriter(job.spark(), job.config(), job.layout()).render(runId.value());
    }
}
