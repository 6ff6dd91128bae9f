package io.tracer.cli;

import io.tracer.BadInputException;
import io.tracer.bench.ScaleBenchmark;
import io.tracer.bench.ScaleFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** B3's commands: {@code tracer bench scale} and the per-size child it runs. */
final class BenchScale {
    private BenchScale() {}

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "B3: the default fit on generated traces (384-d, 100 labels, 2%% teacher noise) at each "
                    + "size, each in a fresh JVM: fit seconds, seconds per stage, peak heap after GC, peak RSS, and "
                    + "coverage and agreement per target on a held-out draw of the same population. Generated data "
                    + "is kept under --data and reused by later runs.")
    static final class Scale implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Option(names = "--sizes", split = ",", description = "Trace counts (default: ${DEFAULT-VALUE}).")
        List<Long> sizes = new ArrayList<>(List.of(10_000L, 100_000L, 1_000_000L));

        @Option(names = "--heldout", description = "Rows of the held-out draw (default: ${DEFAULT-VALUE}).")
        long heldOut = 100_000;

        @Option(names = "--data", paramLabel = "URI",
                description = "Where the generated tables and each size's lakehouse go (default: ./tracer-bench/scale).")
        String data;

        @Option(names = "--dim", description = "Embedding width (default: ${DEFAULT-VALUE}).")
        int dim = 384;

        @Option(names = "--labels", description = "Teacher labels (default: ${DEFAULT-VALUE}).")
        int labels = 100;

        @Option(names = "--noise", description = "Teacher noise share (default: ${DEFAULT-VALUE}).")
        double noise = 0.02;

        @Option(names = "--live-heap", description = "Also measure the driver's live heap: a full collection at "
                + "each stage end, heap in use less Spark's block cache. The collections' seconds are left out of "
                + "fit_seconds, but they disturb the timings, so time without this flag.")
        boolean liveHeap;

        @Override
        public Integer call() {
            if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 100)) {
                throw new BadInputException("bench scale --sizes: each size must be at least 100, got " + sizes);
            }
            String dir = data != null ? data
                    : Path.of("tracer-bench", "scale").toAbsolutePath().toUri().toString();
            BenchCommand.print(new ScaleBenchmark().run(new ScaleBenchmark.Request(sizes, heldOut, dir, dim, labels,
                    noise, liveHeap, common.asArguments())));
            return TracerCli.EXIT_OK;
        }
    }

    @Command(name = "scale-fit", hidden = true, mixinStandardHelpOptions = true,
            description = "One size of B3 (run by tracer bench scale in a fresh JVM): the default fit of --traces, "
                    + "then every target judged on --heldout; prints one JSON row.")
    static final class Fit extends SparkCommand {
        @Mixin
        LakehouseOption lakehouse;

        @Mixin
        RunIdOption runId;

        @Option(names = "--traces", required = true, paramLabel = "URI", description = "Generated traces (Delta).")
        String traces;

        @Option(names = "--heldout", required = true, paramLabel = "URI",
                description = "A disjoint draw of the same population (Delta).")
        String heldOut;

        @Option(names = "--live-heap", description = "Measure the driver's live heap at each stage end.")
        boolean liveHeap;

        @Override
        Map<String, String> configFlags() {
            return lakehouse.overrides();
        }

        @Override
        int run(JobContext job) {
            BenchCommand.print(new ScaleFit(job.spark(), job.config(), job.layout())
                    .run(traces, heldOut, runId.orNew().value(), liveHeap));
            return TracerCli.EXIT_OK;
        }
    }
}
