package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.log.ConfigLines;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code tracer embed}: load and validate a trace table, add MiniLM embeddings (re-using the
 * cache), and write the result as a Delta table with the canonical columns.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Validate a trace table and add sentence embeddings; writes a Delta table.")
public final class EmbedCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedCommand.class);

    @Mixin
    CommonOptions common;

    @Option(names = "--traces", required = true, paramLabel = "URI",
            description = "Trace table: a JSONL/CSV/Parquet file or folder, a Delta path, or a catalog table name.")
    String traces;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Delta table to write (overwritten).")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto, jsonl, csv, parquet, delta or table (default: tracer.traces.format).")
    String format;

    @Option(names = "--input-col", paramLabel = "NAME", description = "Input text column (default: from the aliases).")
    String inputCol;

    @Option(names = "--teacher-col", paramLabel = "NAME", description = "Teacher label column (default: from the aliases).")
    String teacherCol;

    @Option(names = "--quarantine", paramLabel = "URI",
            description = "Delta table for refused rows (default: <lakehouse root>/quarantine).")
    String quarantine;

    @Option(names = "--cache", paramLabel = "URI",
            description = "Embedding cache Delta table (default: <lakehouse root>/embedding_cache).")
    String cache;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id recorded on quarantine rows (default: random).")
    String runId;

    @Override
    public Integer call() {
        Map<String, String> flags = new LinkedHashMap<>();
        if (format != null) {
            flags.put("tracer.traces.format", format);
        }
        TracerConfig config = common.load(flags);
        LOG.info("effective configuration (tracer.*):\n{}", ConfigLines.of(config.render()));
        String root = config.lakehouse().root().replaceAll("/+$", "");
        String quarantineUri = quarantine != null ? quarantine : root + "/quarantine";
        String cacheUri = cache != null ? cache : root + "/embedding_cache";
        String run = runId != null ? runId : "embed-" + UUID.randomUUID();

        SparkSession spark = SparkSessions.create("tracer embed", config);
        try {
            long start = System.nanoTime();
            TraceSource source = new TraceSource(traces, Optional.ofNullable(format), Optional.ofNullable(inputCol),
                    Optional.ofNullable(teacherCol));
            LoadedTraces loaded = new TraceLoader(spark, config.traces()).load(source, quarantineUri, run);
            EmbedResult result = new Embedder(spark, config.embed(), Optional.of(cacheUri)).embed(loaded.valid());
            spark.sparkContext().setJobDescription("tracer: write " + output);
            result.embedded().write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                    .option("userMetadata", "run " + run + ": tracer embed of " + traces)
                    .save(output);
            double secs = (System.nanoTime() - start) / 1e9;
            LOG.info("run {}: read {}, valid {}, quarantined {} {}; {} distinct texts, {} from cache, {} embedded "
                            + "at {} texts/s; wrote {} rows to {} in {} s total ({} rows/s end to end)",
                    run, loaded.readCount(), loaded.validCount(), loaded.quarantinedCount(),
                    loaded.quarantinedByReason(), result.distinctTexts(), result.cachedTexts(),
                    result.newlyEmbedded(), Math.round(result.textsPerSecond()), loaded.validCount(), output,
                    String.format("%.1f", secs), Math.round(loaded.validCount() / secs));
            result.unpersist();
            loaded.valid().unpersist();
            return TracerCli.EXIT_OK;
        } finally {
            spark.stop();
        }
    }
}
