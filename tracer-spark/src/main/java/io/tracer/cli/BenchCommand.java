package io.tracer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tracer.bench.Banking77Benchmark;
import io.tracer.bench.Banking77Data;
import io.tracer.bench.RoutingBenchmark;
import io.tracer.bench.ValidityBenchmark;
import io.tracer.config.TracerConfig;
import io.tracer.traces.SyntheticSpec;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Map;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of BENCHMARK.md; each prints one JSON document on stdout.",
        subcommands = {BenchCommand.Banking77.class, BenchCommand.Validity.class, BenchScale.Scale.class,
                BenchEmbed.class,
                BenchCommand.Routing.class, BenchFaults.class, BenchScale.Fit.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark: banking77, validity, scale, embed, routing or faults");
    }

    static void print(Map<String, Object> result) {
        try {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(result));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A local path without a scheme becomes an absolute file: URI; URIs pass through. */
    static String qualify(SparkSession spark, String pathOrUri) {
        try {
            Path p = new Path(pathOrUri);
            if (p.toUri().getScheme() != null) {
                return pathOrUri;
            }
            return FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "banking77", mixinStandardHelpOptions = true,
            description = "B1: Banking77 coverage at certified agreement, on train.csv (traces) and test.csv (future traffic).")
    static final class Banking77 extends SparkCommand {
        @Mixin
        FitOptions fit;

        @Option(names = "--data", description = "Folder with train.csv and test.csv (default ${DEFAULT-VALUE}).")
        String data = "../shared/data/banking77";

        @Option(names = "--seeds", description = "Fits with root seeds seed, seed+1, ...; with more than one, every "
                + "seed's rows and per target the median and worst test coverage (default ${DEFAULT-VALUE}).")
        int seeds = 1;

        @Option(names = "--also", paramLabel = "KEY=VALUE", description = "After the fits, the same seeds again with "
                + "these settings on top (repeatable; the tracer. prefix may be left out), printed as the JSON's also "
                + "section: e.g. --also embed.encoder=bge-small-en-v1.5-q --also gate.neighbours=5.")
        Map<String, String> also = new java.util.LinkedHashMap<>();

        @Override
        Map<String, String> configFlags() {
            return fit.overrides();
        }

        @Override
        int run(JobContext job) {
            if (seeds < 1) {
                throw new io.tracer.BadInputException("bench banking77 --seeds: must be at least 1, was " + seeds);
            }
            print(new Banking77Benchmark(job.spark(), job.config(), job.layout())
                    .run(qualify(job.spark(), data), seeds, also));
            return TracerCli.EXIT_OK;
        }
    }

    @Command(name = "validity", mixinStandardHelpOptions = true,
            description = "B2: re-split Banking77 train+test many times (or draw fresh synthetic histories with --synthetic), "
                    + "fit each, and count per target the runs whose agreement on handled future traffic falls below the target.")
    static final class Validity extends SparkCommand {
        @Mixin
        FitOptions fit;

        @Option(names = "--data", description = "Folder with train.csv and test.csv (default ${DEFAULT-VALUE}).")
        String data = "../shared/data/banking77";

        @Option(names = "--resplits", description = "Number of re-splits (default ${DEFAULT-VALUE}).")
        int resplits = 20;

        @Option(names = "--synthetic", description = "Judge on a known synthetic population instead of Banking77: "
                + "each fit gets a fresh history drawn from it, every policy is judged on one large future draw.")
        boolean synthetic;

        @Option(names = "--history-rows", description = "With --synthetic: traces per history (default ${DEFAULT-VALUE}).")
        long historyRows = 10_000;

        @Option(names = "--future-rows", description = "With --synthetic: future traffic rows (default ${DEFAULT-VALUE}).")
        long futureRows = 100_000;

        @Option(names = "--noise", description = "With --synthetic: teacher noise share (default ${DEFAULT-VALUE}).")
        double noise = 0.02;

        @Override
        Map<String, String> configFlags() {
            return fit.overrides();
        }

        @Override
        int run(JobContext job) {
            TracerConfig config = job.config();
            ValidityBenchmark bench = new ValidityBenchmark(job.spark(), config, job.layout());
            if (synthetic) {
                SyntheticSpec population = SyntheticSpec.of(historyRows, SyntheticSpec.DEFAULT_DIM,
                        SyntheticSpec.DEFAULT_LABELS, noise, SyntheticSpec.DEFAULT_OOD_SHARE, config.seed());
                print(bench.runSynthetic(population, historyRows, futureRows, resplits));
                return TracerCli.EXIT_OK;
            }
            Banking77Data b77 = Banking77Data.prepare(job.spark(), config, job.layout(), qualify(job.spark(), data));
            print(bench.run(b77.trainUri(), b77.testUri(), resplits));
            return TracerCli.EXIT_OK;
        }
    }

    @Command(name = "routing", mixinStandardHelpOptions = true,
            description = "B4: per policy shape (b1-like RSB + OOD, l2d-lr-logistic, mlp, xgb-gate; fitted here on "
                    + "generated traces, or --policy for the B1 shape): Spark batch routing rows/s over --rows rows "
                    + "read from a Delta table to the noop sink, the Spark-free router's p50/p99/max per query in one "
                    + "thread, and batch and kernel-alone rows/s in blocks of 1,024; plus a bare Delta scan of the "
                    + "embedding column and routing from text (the encoder in the route).")
    static final class Routing extends SparkCommand {
        @Mixin
        FitOptions fit;

        @Option(names = "--policy", paramLabel = "URI",
                description = "The B1 policy (a policy root or version directory): measured as the B1 shape instead of "
                        + "the b1-like one fitted here.")
        String policy;

        @Option(names = "--shapes", split = ",", description = "Shapes to measure (default ${DEFAULT-VALUE}).")
        java.util.List<String> shapes = new java.util.ArrayList<>(io.tracer.bench.RoutingBenchmark.SHAPES);

        @Option(names = "--rows", description = "Traffic rows routed on Spark per shape (default ${DEFAULT-VALUE}).")
        long rows = 1_000_000;

        @Option(names = "--fit-rows", description = "Generated traces the shapes are fitted on (default ${DEFAULT-VALUE}).")
        long fitRows = 20_000;

        @Option(names = "--dim", description = "Embedding width of the generated traces (default ${DEFAULT-VALUE}; "
                + "a given policy's encoder decides otherwise).")
        int dim = 384;

        @Option(names = "--labels", description = "Teacher labels of the generated traces (default ${DEFAULT-VALUE}).")
        int labels = 77;

        @Option(names = "--ood-share", description = "Share of out-of-distribution traffic rows (default ${DEFAULT-VALUE}).")
        double oodShare = 0.02;

        @Option(names = "--no-ood", description = "Switch the policies' out-of-distribution gates off on both routers.")
        boolean noOod;

        @Option(names = "--queries", description = "Timed Spark-free router queries per shape (default ${DEFAULT-VALUE}).")
        int queries = 20_000;

        @Option(names = "--warmup", description = "Untimed Spark-free router queries first (default ${DEFAULT-VALUE}).")
        int warmup = 20_000;

        @Option(names = "--batch-rows", description = "Rows per batch-mode and kernel-alone measurement per shape "
                + "(default ${DEFAULT-VALUE}).")
        long batchRows = 200_000;

        @Option(names = "--embed-rows", description = "Texts routed from a table without vectors (0 skips; default "
                + "${DEFAULT-VALUE}).")
        int embedRows = 2_000;

        @Option(names = "--data", description = "Folder with Banking77's test.csv, the texts of the route-from-text "
                + "run when it exists (default ${DEFAULT-VALUE}; else generated texts).")
        String data = "../shared/data/banking77";

        @Option(names = "--traffic", paramLabel = "URI",
                description = "A trace table with vectors of --policy's encoder (e.g. Banking77's test.csv after tracer "
                        + "embed), repeated to --rows: the Spark traffic and the router's queries instead of generated "
                        + "rows, so the decisions the policy hands to the surrogate are timed.")
        String traffic;

        @Override
        Map<String, String> configFlags() {
            return fit.overrides();
        }

        @Override
        int run(JobContext job) {
            SparkSession spark = job.spark();
            print(new RoutingBenchmark(spark, job.config(), job.layout()).run(new RoutingBenchmark.Request(
                    java.util.Optional.ofNullable(policy).map(p -> qualify(spark, p)), shapes, rows, fitRows, dim,
                    labels, oodShare, !noOod, queries, warmup, batchRows, embedRows, qualify(spark, data),
                    java.util.Optional.ofNullable(traffic).map(t -> qualify(spark, t)))));
            return TracerCli.EXIT_OK;
        }
    }
}
