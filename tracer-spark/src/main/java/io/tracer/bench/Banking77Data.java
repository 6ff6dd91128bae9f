package io.tracer.bench;

import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Optional;

/**
 * Banking77's train.csv and test.csv, read as traces and embedded by the configured built-in
 * encoder ({@code tracer.embed.encoder}) into Delta tables under the lakehouse root (the embedding
 * cache, keyed by text and encoder, makes a second call cheap).
 */
public record Banking77Data(String trainUri, String testUri, double embedSeconds) {

    public static Banking77Data prepare(SparkSession spark, TracerConfig config, LakehouseLayout layout,
                                        String dataDir) {
        long t0 = System.nanoTime();
        String train = embed(spark, config, layout, dataDir + "/train.csv", layout.root() + "/bench/banking77/train");
        String test = embed(spark, config, layout, dataDir + "/test.csv", layout.root() + "/bench/banking77/test");
        return new Banking77Data(train, test, (System.nanoTime() - t0) / 1e9);
    }

    private static String embed(SparkSession spark, TracerConfig config, LakehouseLayout layout, String csvUri,
                                String outUri) {
        LoadedTraces loaded = new TraceLoader(spark, config.traces())
                .load(TraceSource.of(csvUri), new DeltaWriter(spark, layout).prepare(MetricTable.QUARANTINE),
                        "bench-banking77");
        EmbedResult result = new Embedder(spark, config.embed(), Optional.of(layout.embeddingCache()))
                .embed(loaded.valid());
        result.embedded().select(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.EMBEDDING)
                .write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(outUri);
        result.unpersist();
        loaded.valid().unpersist();
        return outUri;
    }
}
