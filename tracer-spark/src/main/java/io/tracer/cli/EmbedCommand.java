package io.tracer.cli;

import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.Optional;

/**
 * {@code tracer embed}: load and validate a trace table, add MiniLM embeddings (re-using the
 * cache), and write the result as a Delta table with the canonical columns.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Validate a trace table and add sentence embeddings; writes a Delta table.")
public final class EmbedCommand extends SparkCommand {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedCommand.class);

    @Mixin
    TraceOptions traces;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Delta table to write (overwritten).")
    String output;

    @Option(names = "--quarantine", paramLabel = "URI",
            description = "Delta table for refused rows (default: <lakehouse root>/quarantine).")
    String quarantine;

    @Option(names = "--cache", paramLabel = "URI",
            description = "Embedding cache Delta table (default: <lakehouse root>/embedding_cache).")
    String cache;

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
        SparkSession spark = job.spark();
        String quarantineUri = quarantine != null ? quarantine
                : new DeltaWriter(spark, job.layout()).prepare(MetricTable.QUARANTINE);
        String cacheUri = cache != null ? cache : job.layout().embeddingCache();
        String run = runId.orNew().value();
        long start = System.nanoTime();
        LoadedTraces loaded = new TraceLoader(spark, job.config().traces()).load(traces.source(), quarantineUri, run);
        EmbedResult result = new Embedder(spark, job.config().embed(), Optional.of(cacheUri)).embed(loaded.valid());
        spark.sparkContext().setJobDescription("tracer: write " + output);
        result.embedded().write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                .option("userMetadata", "run " + run + ": tracer embed of " + traces.traces)
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
    }
}
