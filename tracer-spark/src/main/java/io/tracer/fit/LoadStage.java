package io.tracer.fit;

import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import org.apache.spark.sql.SparkSession;

/** Stage load: read the trace table, pick the columns, validate; bad rows go to quarantine. */
public final class LoadStage implements FitStage<FitRequest, LoadStage.Loaded> {

    /** The request and the validated traces. */
    public record Loaded(FitRequest request, LoadedTraces traces) {
        /** True when the table has no embedding column and the embed stage must run. */
        public boolean needsEmbedding() {
            return traces.encoder().isEmpty();
        }
    }

    private final SparkSession spark;
    private final TracerConfig.Traces config;
    private final LakehouseLayout layout;

    public LoadStage(SparkSession spark, TracerConfig.Traces config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String describe(FitRequest request) {
        return "read and validate traces from " + request.traces().uri();
    }

    @Override
    public long rows(FitRequest request, Loaded loaded) {
        return loaded.traces().validCount();
    }

    @Override
    public Loaded run(FitRequest request) {
        return new Loaded(request, new TraceLoader(spark, config).load(request.traces(),
                new DeltaWriter(spark, layout).prepare(MetricTable.QUARANTINE),
                request.runId()));
    }
}
