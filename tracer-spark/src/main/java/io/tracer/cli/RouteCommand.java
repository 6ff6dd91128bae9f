package io.tracer.cli;

import io.tracer.route.RouteJob;
import io.tracer.route.RouteRequest;
import io.tracer.route.RouteResult;
import io.tracer.traces.TraceSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.Optional;

/** {@code tracer route}: applies a published policy to a table of inputs. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Routes inputs with a published policy: one row per input with the decision (handled or "
                + "deferred), the surrogate's label when handled, the accept score, the stage and the reason for "
                + "a deferral (gate_score, out_of_distribution, unseen_feature_width, no_policy), written to a "
                + "Delta table. Inputs without an embedding column are embedded with the built-in encoder; "
                + "vectors from another encoder than the policy's are refused (exit 2).")
public final class RouteCommand extends SparkCommand {
    @Option(names = "--policy", required = true, paramLabel = "URI",
            description = "Policy root (its CURRENT version is used, e.g. <lakehouse>/policies) or a policy version directory.")
    String policy;

    @Option(names = "--input", required = true, paramLabel = "URI",
            description = "Inputs: a file or folder URI (JSONL, CSV, Parquet, Delta) or, with --format table, a catalog table.")
    String input;

    @Option(names = "--format", description = "auto (default: from the path), jsonl, csv, parquet, delta or table.")
    String format;

    @Option(names = "--input-col", paramLabel = "COL", description = "Input text column (default: first alias found).")
    String inputCol;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Delta table the routed rows go to.")
    String output;

    @Option(names = "--overwrite", description = "Replace the whole output table (default: write this run's rows in "
            + "one commit, replacing any rows an earlier attempt of the same --run-id committed, and keep other runs' rows).")
    boolean overwrite;

    @Option(names = "--no-ood", description = "Switch the policy's out-of-distribution gate off (routing then "
            + "differs from what was certified).")
    boolean noOod;

    @Option(names = "--shadow-share", defaultValue = "0", paramLabel = "S",
            description = "Share of handled rows marked shadow = true, to be sent to the teacher too for "
                    + "tracer audit (default: ${DEFAULT-VALUE}).")
    double shadowShare;

    @Mixin
    LakehouseOption lakehouse;

    @Mixin
    RunIdOption runId;

    @Override
    Map<String, String> configFlags() {
        return lakehouse.overrides();
    }

    @Override
    int run(JobContext job) {
        RouteResult r = route(job);
        System.out.printf("routed %d rows with policy %s: %d handled (%.2f%%), deferred %s; %.0f rows/s -> %s%n",
                r.rows(), r.policyVersion(), r.handled(), 100 * r.coverage(), r.deferredByReason(),
                r.rowsPerSecond(), r.output());
        return TracerCli.EXIT_OK;
    }

    RouteResult route(JobContext job) {
        TraceSource source = new TraceSource(input, Optional.ofNullable(format), Optional.ofNullable(inputCol),
                Optional.empty());
        return new RouteJob(job.spark(), job.config(), job.layout()).run(new RouteRequest(policy, source, output,
                overwrite, !noOod, shadowShare, runId.orNew().value()));
    }
}
