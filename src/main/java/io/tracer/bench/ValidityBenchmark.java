package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.Seeds;
import io.tracer.config.TracerConfig;
import io.tracer.job.FitJob;
import io.tracer.job.FitRequest;
import io.tracer.job.FitResult;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.pipeline.TargetOutcome;
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

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * B2: guarantee validity. Pools Banking77's embedded train and test rows, re-splits them many
 * times into a trace history and future traffic of the original sizes, fits on the history with
 * a different root seed each time, routes the traffic, and counts per target the runs whose
 * agreement on handled traffic falls below the target.
 */
public final class ValidityBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(ValidityBenchmark.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public ValidityBenchmark(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /**
     * @param trainUri embedded trace history (Delta, as B1 writes it)
     * @param testUri  embedded future traffic (Delta)
     */
    public Map<String, Object> run(String trainUri, String testUri, int resplits) {
        Dataset<Row> train = spark.read().format("delta").load(trainUri);
        Dataset<Row> test = spark.read().format("delta").load(testUri);
        long testSize = test.count();
        Dataset<Row> pool = train.select(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.EMBEDDING)
                .unionByName(test.select(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.EMBEDDING))
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<Double> targets = config.calibrate().targets();
        long[] violations = new long[targets.size()];
        double[] coverageSum = new double[targets.size()];
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int r = 0; r < resplits; r++) {
            long seed = Seeds.derive(config.seed(), "validity/" + r);
            Dataset<Row> ranked = pool.withColumn("_u", xxhash64(lit(seed), col(Columns.TRACE_ID)));
            Dataset<Row> future = ranked.orderBy(col("_u"), col(Columns.TRACE_ID)).limit((int) testSize).drop("_u")
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> history = ranked.drop("_u").join(future.select(Columns.TRACE_ID), 
                    ranked.col(Columns.TRACE_ID).equalTo(future.col(Columns.TRACE_ID)), "left_anti");
            String historyUri = layout.root() + "/bench/validity/history";
            history.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(historyUri);

            TracerConfig runConfig = withSeed(seed);
            long t0 = System.nanoTime();
            FitResult fit = new FitJob(spark, runConfig, layout).run(new FitRequest(TraceSource.of(historyUri),
                    "validity-" + r, config.calibrate().deployTarget(), false, Optional.empty(), "bench validity"));
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            Dataset<Row> traffic = Features.add(future).persist(StorageLevel.MEMORY_AND_DISK());
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("resplit", r);
            run.put("seed", seed);
            run.put("fit_seconds", fitSeconds);
            List<Map<String, Object>> perTarget = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                TargetOutcome o = fit.outcome(targets.get(i));
                RoutedMetrics m = RoutedMetrics.of(new BatchRouter(RoutingPlan.of(o, fit.data().labels(), fit.data().encoder().dim(), fit.ood())).route(traffic));
                boolean violated = m.handled() > 0 && m.agreement() < targets.get(i);
                if (violated) {
                    violations[i]++;
                }
                coverageSum[i] += m.coverage();
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("target", targets.get(i));
                t.put("method", o.method().id());
                t.put("coverage_test", m.coverage());
                t.put("agreement_test", m.handled() == 0 ? null : m.agreement());
                t.put("violated", violated);
                perTarget.add(t);
            }
            run.put("targets", perTarget);
            runs.add(run);
            LOG.info("resplit {}/{}: {}", r + 1, resplits, perTarget);
            traffic.unpersist();
            future.unpersist();
            fit.selection().unpersist();
            fit.calibration().unpersist();
        }
        pool.unpersist();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", targets.get(i));
            row.put("violations", violations[i]);
            row.put("share", resplits == 0 ? 0.0 : (double) violations[i] / resplits);
            row.put("mean_coverage_test", resplits == 0 ? 0.0 : coverageSum[i] / resplits);
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "validity");
        out.put("resplits", resplits);
        out.put("delta", config.calibrate().delta());
        out.put("zoo", config.zoo().set());
        out.put("zoo_skip", config.zoo().skip());
        out.put("gates", config.gate().candidates());
        out.put("rows", rows);
        out.put("runs", runs);
        return out;
    }

    private TracerConfig withSeed(long seed) {
        return TracerConfig.from(com.typesafe.config.ConfigFactory.parseMap(Map.of("tracer.seed", seed))
                .withFallback(config.raw()).resolve());
    }
}
