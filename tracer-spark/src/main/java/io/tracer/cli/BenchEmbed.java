package io.tracer.cli;

import io.tracer.bench.EmbedBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

/** B5: {@code tracer bench embed}. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "B5: the embed job's rows/s against the encoder's own in the same JVM, on Banking77's texts "
                + "and on a CLINC-sized set made from them; prints one JSON document.")
final class BenchEmbed extends SparkCommand {
    @Mixin
    LakehouseOption lakehouse;

    @Option(names = "--data", description = "Folder with Banking77's train.csv and test.csv (default ${DEFAULT-VALUE}).")
    String data = "../shared/data/banking77";

    @Override
    Map<String, String> configFlags() {
        return lakehouse.overrides();
    }

    @Override
    int run(JobContext job) {
        BenchCommand.print(new EmbedBenchmark(job.spark(), job.config(), job.layout())
                .run(BenchCommand.qualify(job.spark(), data)));
        return TracerCli.EXIT_OK;
    }
}
