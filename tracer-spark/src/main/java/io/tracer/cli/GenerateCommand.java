package io.tracer.cli;

import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code tracer generate}: writes a synthetic trace table (Delta) with a known structure. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes synthetic traces to a Delta table: gaussian label clusters that partly overlap, "
                + "uneven label sizes, teacher noise and optional out-of-distribution rows. "
                + "The rows depend only on the seed, never on the partitioning.")
public final class GenerateCommand extends SparkCommand {
    private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

    @Option(names = "--output", required = true, paramLabel = "URI",
            description = "Delta table to write (any Hadoop URI).")
    String output;

    @Option(names = "--rows", defaultValue = "100000", description = "Number of traces (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--dim", defaultValue = "" + SyntheticSpec.DEFAULT_DIM,
            description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--labels", defaultValue = "" + SyntheticSpec.DEFAULT_LABELS,
            description = "Number of teacher labels (default: ${DEFAULT-VALUE}).")
    int labels;

    @Option(names = "--noise", defaultValue = "" + SyntheticSpec.DEFAULT_NOISE,
            description = "Share of rows whose teacher label is wrong (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--ood-share", defaultValue = "" + SyntheticSpec.DEFAULT_OOD_SHARE,
            description = "Share of out-of-distribution rows (default: ${DEFAULT-VALUE}).")
    double oodShare;

    @Option(names = "--spread", defaultValue = "" + SyntheticSpec.DEFAULT_SPREAD,
            description = "Per-coordinate spread around a label centroid; larger means more overlap "
                    + "(default: ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--zipf", defaultValue = "" + SyntheticSpec.DEFAULT_ZIPF_EXPONENT,
            description = "Label-size skew: weights 1/rank^zipf, 0 for equal sizes (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--seed", description = "Root seed (default: " + ConfigKeys.SEED + " from the config).")
    Long seed;

    @Option(names = "--partitions", description = "Spark partitions to generate in (default: from the size).")
    Integer partitions;

    @Option(names = "--overwrite", description = "Replace an existing table at --output.")
    boolean overwrite;

    @Option(names = "--first-id", defaultValue = "0", description = "Trace ids start at syn-<this>; rows are a "
            + "function of (seed, id), so disjoint id ranges are disjoint draws of one population "
            + "(default: ${DEFAULT-VALUE}).")
    long firstId;

    @Option(names = "--if-missing", description = "Keep a table already at --output when it holds --rows rows "
            + "(a benchmark's data from an earlier run); fail when it holds another count.")
    boolean ifMissing;

    /** --seed, the highest-precedence override of the root seed. */
    @Override
    Map<String, String> configFlags() {
        return seed == null ? Map.of() : Map.of(ConfigKeys.SEED, Long.toString(seed));
    }

    /** Bad generator flags are bad input before any session starts. */
    @Override
    void check(TracerConfig config) {
        spec(config);
    }

    @Override
    int run(JobContext job) {
        generate(job.spark(), spec(job.config()));
        return TracerCli.EXIT_OK;
    }

    SyntheticSpec spec(TracerConfig config) {
        return new SyntheticSpec(rows, dim, labels, noise, oodShare, config.seed(), spread, zipf);
    }

    /** Generates and writes on a session the caller owns; returns the row count of the written table. */
    long generate(SparkSession spark, SyntheticSpec spec) {
        long start = System.nanoTime();
        spark.sparkContext().setJobGroup("generate", "tracer generate: synthetic traces to " + output, false);
        SyntheticTraceGenerator generator = new SyntheticTraceGenerator(spark);
        int parts = partitions == null ? generator.defaultPartitions(spec) : partitions;
        long written;
        try {
            if (ifMissing && !overwrite && io.delta.tables.DeltaTable.isDeltaTable(spark, output)) {
                long existing = spark.read().format("delta").load(output).count();
                if (existing != spec.rows()) {
                    throw new io.tracer.BadInputException("generate --if-missing: " + output + " already holds "
                            + existing + " rows, not " + spec.rows() + "; remove it or pass --overwrite");
                }
                LOG.info("generate: {} already holds {} rows; kept", output, existing);
                return existing;
            }
            written = generator.write(spec, parts, output, overwrite, firstId);
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("generate: wrote {} rows ({} dims, {} labels, {} partitions) to {} in {} s",
                written, spec.dim(), spec.labels(), parts, output, String.format("%.1f", seconds));
        return written;
    }
}
