package io.tracer.fit;

import io.tracer.TracerException;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.embed.EncoderInfo;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.traces.LoadedTraces;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Optional;

/** Stage embed: adds the built-in encoder's vectors, only when the table has no embedding column. */
public final class EmbedStage implements FitStage<LoadStage.Loaded, EmbedStage.Embedded> {

    /**
     * The traces with an embedding column, and the encoder that made it.
     *
     * @param release frees the vectors the traces read from (persisted by the embed stage); the
     *                split stage calls it once it holds its own persisted copy
     */
    public record Embedded(FitRequest request, LoadedTraces loaded, Dataset<Row> traces, EncoderInfo encoder,
                           Runnable release) {
        /** The traces as read, when they already carry embeddings. */
        public static Embedded asRead(LoadStage.Loaded loaded) {
            EncoderInfo encoder = loaded.traces().encoder().orElseThrow(
                    () -> new IllegalStateException("the traces have no embedding column: run the embed stage"));
            return new Embedded(loaded.request(), loaded.traces(), loaded.traces().valid(), encoder, () -> {});
        }
    }

    private final SparkSession spark;
    private final TracerConfig.Embed config;
    private final LakehouseLayout layout;

    public EmbedStage(SparkSession spark, TracerConfig.Embed config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public String describe(LoadStage.Loaded loaded) {
        return "embed " + loaded.traces().validCount() + " texts with " + config.encoder();
    }

    @Override
    public long rows(LoadStage.Loaded loaded, Embedded embedded) {
        return loaded.traces().validCount();
    }

    @Override
    public Embedded run(LoadStage.Loaded loaded) {
        EmbedResult result = new Embedder(spark, config, Optional.of(layout.embeddingCache()))
                .embed(loaded.traces().valid());
        Dataset<Row> traces = result.embedded();
        EncoderInfo encoder = EncoderInfo.of(traces).orElseThrow(
                () -> new TracerException("the trace table has no embedding column after embedding"));
        return new Embedded(loaded.request(), loaded.traces(), traces, encoder, result::unpersist);
    }
}
