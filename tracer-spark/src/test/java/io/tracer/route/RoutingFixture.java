package io.tracer.route;

import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring;

/**
 * One small fitted policy shared by the routing, OOD and audit tests (a fit takes a minute or
 * two, so the test JVM makes it once). The traces are synthetic (8 labels, 16 dimensions):
 * rows syn-0 .. syn-4999 are fitted on; rows syn-5000 .. syn-7999 of the same geometry are
 * later traffic, once in distribution and once with 20% out-of-distribution rows.
 */
public final class RoutingFixture {
    public static final int DIM = 16;
    public static final int LABELS = 8;
    public static final long SEED = 7;
    public static final double TARGET = 0.92;
    public static final String RUN_ID = "fit-route";
    private static final long FIT_ROWS = 5000;
    private static final long ALL_ROWS = 8000;

    private static RoutingFixture fixture;

    public final SparkSession spark;
    public final Path dir;
    public final TracerConfig config;
    public final LakehouseLayout layout;
    public final FitRun.Finished fit;
    /** 3000 in-distribution rows of traffic, with teacher labels and is_ood. */
    public final String traffic;
    /** 3000 rows of traffic of which about 20% are out of distribution. */
    public final String oodTraffic;

    public static synchronized RoutingFixture get() {
        if (fixture == null) {
            try {
                fixture = new RoutingFixture();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return fixture;
    }

    private RoutingFixture() throws IOException {
        spark = SparkTestSession.get();
        dir = Files.createTempDirectory("tracer-routing-fixture");
        config = ConfigLoader.load(null, Map.of(
                "tracer.lakehouse.root", uri("lake"),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.calibrate.targets", "[0.9, 0.92]",
                "tracer.calibrate.deploy-target", Double.toString(TARGET),
                "tracer.calibrate.grid-size", "200",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1, logistic]",
                "tracer.report.enabled", "false",
                // gated policies only: these traces are easy enough that global would certify,
                // and the tests need gate-score deferrals next to OOD ones
                "tracer.pipeline.families", "[l2d]"));
        layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        SyntheticTraceGenerator generator = new SyntheticTraceGenerator(spark);
        Dataset<Row> clean = generator.generate(SyntheticSpec.of(ALL_ROWS, DIM, LABELS, 0.03, 0.0, SEED));
        Dataset<Row> withOod = generator.generate(SyntheticSpec.of(ALL_ROWS, DIM, LABELS, 0.03, 0.2, SEED));
        String traces = uri("traces");
        // A seeded tail of 0-19 words gives the report's input-length terciles something to cut.
        clean.where(id().lt(FIT_ROWS))
                .withColumn("input", org.apache.spark.sql.functions.concat(col("input"),
                        org.apache.spark.sql.functions.expr("repeat(' lorem', pmod(hash(trace_id), 20))")))
                .write().format("delta").save(traces);
        traffic = uri("traffic");
        clean.where(id().geq(FIT_ROWS)).write().format("delta").save(traffic);
        oodTraffic = uri("traffic-ood");
        withOod.where(id().geq(FIT_ROWS)).write().format("delta").save(oodTraffic);
        fit = new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(traces), RUN_ID, true,
                Optional.empty(), "fit"));
    }

    /** The row number of a synthetic trace id (syn-N). */
    private static Column id() {
        return substring(col("trace_id"), 5, 20).cast("long");
    }

    public String uri(String name) {
        return dir.resolve(name).toUri().toString();
    }

    public String policyRoot() {
        return layout.policyRoot();
    }
}
