package io.tracer.route;

import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.embed.EncoderInfo;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.traces.LoadOptions;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Reads traffic to route (or audit): any format the trace loader reads, no teacher needed,
 * embedded with the built-in encoder when the table has no embedding column, and refused when
 * its vectors come from another encoder than the policy's.
 */
public final class RoutingInputs {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingInputs.class);

    /**
     * @param rows        canonical columns ({@code teacher} null where the source had none), with
     *                    an embedding tagged with the policy's encoder; not cached
     * @param readRows    rows read
     * @param quarantined rows refused by validation (missing input, malformed line...)
     * @param release     frees what embedding kept persisted, after the rows are consumed
     */
    public record Loaded(Dataset<Row> rows, long readRows, long quarantined, Runnable release) {}

    private RoutingInputs() {}

    /** @throws io.tracer.BadInputException when the vectors come from another encoder than {@code expected} */
    public static Loaded load(SparkSession spark, TracerConfig config, LakehouseLayout layout, TraceSource source,
                              EncoderInfo expected, String runId) {
        String quarantine = new DeltaWriter(spark, layout).prepare(MetricTable.QUARANTINE);
        LoadedTraces loaded = new TraceLoader(spark, config.traces())
                .load(source, quarantine, runId, LoadOptions.ROUTING);
        Dataset<Row> rows = loaded.valid();
        Runnable release = () -> {};
        if (loaded.columns().embedding().isEmpty()) {
            LOG.info("{} has no embedding column: embedding {} texts with {}", source.uri(), loaded.validCount(),
                    config.embed().encoder());
            EmbedResult embedded = new Embedder(spark, config.embed(), Optional.of(layout.embeddingCache())).embed(rows);
            rows = embedded.embedded();
            release = embedded::unpersist;
        }
        EncoderInfo.require(rows, expected);
        if (loaded.quarantinedCount() > 0) {
            LOG.warn("{} of {} input rows were refused and are in {} (they are not routed)",
                    loaded.quarantinedCount(), loaded.readCount(), quarantine);
        }
        return new Loaded(rows.drop(Columns.SOURCE_FILE, Columns.SOURCE_LINE), loaded.readCount(),
                loaded.quarantinedCount(), release);
    }
}
