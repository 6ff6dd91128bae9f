package io.tracer.route;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EncoderInfo;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricTable;
import io.tracer.traces.LoadOptions;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Reads traffic to route (or audit): any format the trace loader reads, no teacher needed. Rows
 * with an embedding column are refused when its vectors come from another encoder than the
 * policy's; rows without one keep their text, which {@link BatchRouter} encodes with the built-in
 * encoder as it routes, block by block in each partition (no separate embedding pass, no cache:
 * routed traffic is new text).
 */
public final class RoutingInputs {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingInputs.class);

    /**
     * @param rows        canonical columns ({@code teacher} null where the source had none), with an
     *                    embedding tagged with the policy's encoder or, without one, the input text;
     *                    not cached
     * @param readRows    rows read
     * @param quarantined rows refused by validation (missing input, malformed line...)
     * @param embedded    false when the rows have no vectors and routing encodes their text
     */
    public record Loaded(Dataset<Row> rows, long readRows, long quarantined, boolean embedded) {}

    private RoutingInputs() {}

    /**
     * @throws io.tracer.BadInputException when the vectors come from another encoder than
     *                                     {@code expected}, or there are none and {@code expected}
     *                                     is not the built-in encoder
     */
    public static Loaded load(SparkSession spark, TracerConfig config, LakehouseLayout layout, TraceSource source,
                              EncoderInfo expected, String runId) {
        String quarantine = new DeltaWriter(spark, layout).prepare(MetricTable.QUARANTINE);
        LoadedTraces loaded = new TraceLoader(spark, config.traces())
                .load(source, quarantine, runId, LoadOptions.ROUTING);
        Dataset<Row> rows = loaded.valid();
        boolean embedded = loaded.columns().embedding().isPresent();
        if (embedded) {
            EncoderInfo.require(rows, expected);
        } else {
            EncoderInfo builtIn = BuiltInEncoder.matching(expected.id(), expected.dim()).map(BuiltInEncoder::info)
                    .orElseThrow(() -> new io.tracer.BadInputException(source.uri() + " has no embedding column, and "
                            + "the policy's models read " + expected.describe() + ", which is not built in (built in: "
                            + BuiltInEncoder.ids() + "); embed the inputs with " + expected.id() + " first"));
            LOG.info("{} has no embedding column: its {} texts are encoded with {} while they are routed",
                    source.uri(), loaded.validCount(), builtIn.describe());
        }
        if (loaded.quarantinedCount() > 0) {
            LOG.warn("{} of {} input rows were refused and are in {} (they are not routed)",
                    loaded.quarantinedCount(), loaded.readCount(), quarantine);
        }
        return new Loaded(rows.drop(Columns.SOURCE_FILE, Columns.SOURCE_LINE), loaded.readCount(),
                loaded.quarantinedCount(), embedded);
    }
}
