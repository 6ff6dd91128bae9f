package io.tracer.cli;

import io.tracer.bench.EmbedBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

/** B5: {@code tracer bench embed}. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "B5: the embed job's rows/s against the encoder's own in the same JVM, on Banking77's texts "
                + "and on a CLINC-sized set made from them (and a larger one with --large); prints one JSON document.")
final class BenchEmbed extends SparkCommand {
    @Mixin
    LakehouseOption lakehouse;

    @Option(names = "--data", description = "Folder with Banking77's train.csv and test.csv (default ${DEFAULT-VALUE}).")
    String data = "../shared/data/banking77";

    @Option(names = "--large", description = "Also measure a set of this many distinct texts recombined from "
            + "Banking77's (e.g. 100000), to see the job's fixed costs weigh less as the set grows (default: off).")
    int large;

    @Override
    Map<String, String> configFlags() {
        return lakehouse.overrides();
    }

    @Override
    int run(JobContext job) {
        BenchCommand.print(new EmbedBenchmark(job.spark(), job.config(), job.layout())
                .run(BenchCommand.qualify(job.spark(), data), large));
        return TracerCli.EXIT_OK;
    }
}
