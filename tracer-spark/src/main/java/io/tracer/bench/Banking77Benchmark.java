package io.tracer.bench;

import io.tracer.RunId;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitResult;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.certify.TargetOutcome;
import io.tracer.route.BatchRouter;
import io.tracer.route.RoutingPlan;
import io.tracer.traces.TraceSource;
import io.tracer.zoo.Features;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * B1: Banking77 coverage at certified agreement. train.csv is the trace history, test.csv
 * future traffic that reaches no fit, selection or calibration step; both are embedded by the
 * project's encoder. Fit time excludes embedding, which is reported on its own.
 */
public final class Banking77Benchmark {
    private static final Logger LOG = LoggerFactory.getLogger(Banking77Benchmark.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public Banking77Benchmark(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /** @param dataDir URI of the folder holding train.csv and test.csv */
    public Map<String, Object> run(String dataDir) {
        Banking77Data data = Banking77Data.prepare(spark, config, layout, dataDir);
        String trainUri = data.trainUri();
        String testUri = data.testUri();
        double embedSeconds = data.embedSeconds();

        long fitStart = System.nanoTime();
        FitRun.Finished done = new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(trainUri),
                RunId.newId().value(), true, Optional.empty(), "bench banking77"));
        double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
        LOG.info("{}", done.summary());
        FitResult fit = done.fit();

        Dataset<Row> test = Features.add(spark.read().format("delta").load(testUri))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long testRows = test.count();
        List<Map<String, Object>> rows = new ArrayList<>();
        double routeSeconds = Double.NaN;
        for (TargetOutcome o : fit.outcomes()) {
            long r0 = System.nanoTime();
            Dataset<Row> routed = new BatchRouter(RoutingPlan.of(o, fit.data().labels(), fit.data().encoder().dim(), fit.ood())).route(test)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            routed.count();
            double seconds = (System.nanoTime() - r0) / 1e9;
            if (o == fit.deployed()) {
                routeSeconds = seconds;
            }
            RoutedMetrics m = RoutedMetrics.of(routed);
            routed.unpersist();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", o.target());
            row.put("method", o.method().id());
            row.put("surrogate", o.deployed().map(d -> d.candidate().surrogate()).orElse(null));
            row.put("gate", o.deployed().map(d -> d.candidate().gate()).orElse(null));
            row.put("coverage_cal", o.coverage());
            row.put("agreement_cal", o.certified().map(c -> c.empiricalAgreement()).orElse(null));
            row.put("agreement_lower", o.certified().map(c -> c.lowerBound()).orElse(null));
            row.put("coverage_test", m.coverage());
            row.put("agreement_test", Double.isNaN(m.agreement()) ? null : m.agreement());
            row.put("e2e_macro_f1", m.e2eMacroF1());
            row.put("reason", o.reason());
            rows.add(row);
        }
        test.unpersist();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "banking77");
        out.put("fit_seconds", fitSeconds);
        out.put("route_seconds", routeSeconds);
        out.put("embed_seconds", embedSeconds);
        out.put("train_rows", fit.data().validRows());
        out.put("test_rows", testRows);
        out.put("zoo", config.zoo().set());
        out.put("surrogate", fit.zoo().winnerSpec().name());
        out.put("delta", config.calibrate().delta());
        out.put("rows", rows);
        return out;
    }
}
