package io.tracer.bench;

import io.tracer.RunId;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.embed.BuiltInEncoder;
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
import java.util.TreeMap;

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
        return run(dataDir, 1);
    }

    /**
     * B1 with {@code seeds} fits, root seeds {@code tracer.seed}, +1, +2, ...: each a different
     * split of train.csv, all judged on the same test.csv. The first seed's figures are the
     * document's top level (BENCHMARK.md's B1 fields); with more, every seed's rows follow, and per
     * target the median and the worst test coverage, the median hindsight coverage
     * ({@link HindsightCoverage}) and the lowest test agreement.
     */
    public Map<String, Object> run(String dataDir, int seeds) {
        return run(dataDir, seeds, Map.of());
    }

    /**
     * B1 as above, then, when {@code also} holds settings, the same seeds again with them (for
     * example another encoder, {@code tracer.embed.encoder}): the document gets an {@code also}
     * section with those settings, the embedding time, every seed's rows and the per-target
     * figures, so the two configurations are compared on the same splits, the same test.csv and
     * in the same session.
     *
     * @param also config overrides for the second pass; empty for none
     */
    public Map<String, Object> run(String dataDir, int seeds, Map<String, String> also) {
        // Resolved and checked first: a bad setting fails now, not after the first pass's fits.
        Optional<TracerConfig> other = also.isEmpty() ? Optional.empty() : Optional.of(config.with(also));
        other.ifPresent(c -> BuiltInEncoder.configured(c.embed().encoder()));
        Pass main = pass(config, dataDir, seeds);
        Map<String, Object> first = main.runs().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "banking77");
        out.put("fit_seconds", first.get("fit_seconds"));
        out.put("route_seconds", first.get("route_seconds"));
        out.put("embed_seconds", main.embedSeconds());
        out.put("encoder", config.embed().encoder());
        out.put("train_rows", first.get("train_rows"));
        out.put("test_rows", main.testRows());
        out.put("zoo", config.zoo().set());
        out.put("surrogate", first.get("surrogate"));
        out.put("delta", config.calibrate().delta());
        out.put("seed", first.get("seed"));
        out.put("rows", first.get("rows"));
        if (seeds > 1) {
            out.put("seeds", main.runs());
            out.put("over_seeds", overSeeds(main.runs()));
        }
        if (other.isPresent()) {
            LOG.info("B1 again with {}", also);
            Pass second = pass(other.get(), dataDir, seeds);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("settings", new TreeMap<>(also));
            extra.put("encoder", other.get().embed().encoder());
            extra.put("embed_seconds", second.embedSeconds());
            extra.put("seeds", second.runs());
            extra.put("over_seeds", overSeeds(second.runs()));
            out.put("also", extra);
        }
        return out;
    }

    /** One configuration's fits over the seeds, each judged on test.csv embedded its way. */
    private record Pass(List<Map<String, Object>> runs, double embedSeconds, long testRows) {}

    private Pass pass(TracerConfig base, String dataDir, int seeds) {
        Banking77Data data = Banking77Data.prepare(spark, base, layout, dataDir);
        Dataset<Row> test = Features.add(spark.read().format("delta").load(data.testUri()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long testRows = test.count();
        List<Map<String, Object>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < seeds; i++) {
                long seed = base.seed() + i;
                TracerConfig seeded = i == 0 ? base : base.with(Map.of(ConfigKeys.SEED, Long.toString(seed)));
                runs.add(fitAndJudge(seeded, data.trainUri(), test));
            }
        } finally {
            test.unpersist();
        }
        return new Pass(runs, data.embedSeconds(), testRows);
    }

    private Map<String, Object> fitAndJudge(TracerConfig seeded, String trainUri, Dataset<Row> test) {
        long fitStart = System.nanoTime();
        FitRun.Finished done = new FitRun(spark, seeded, layout).run(new FitRequest(TraceSource.of(trainUri),
                RunId.newId().value(), true, Optional.empty(), "bench banking77"));
        double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
        LOG.info("{}", done.summary());
        FitResult fit = done.fit();
        List<Map<String, Object>> rows = new ArrayList<>();
        double routeSeconds = Double.NaN;
        for (TargetOutcome o : fit.outcomes()) {
            long r0 = System.nanoTime();
            Dataset<Row> routed = new BatchRouter(RoutingPlan.of(o, fit.data().labels(), fit.data().encoder().dim(),
                    fit.ood())).route(test).persist(StorageLevel.MEMORY_AND_DISK());
            routed.count();
            double seconds = (System.nanoTime() - r0) / 1e9;
            if (o == fit.deployed()) {
                routeSeconds = seconds;
            }
            RoutedMetrics m = RoutedMetrics.of(routed);
            routed.unpersist();
            double hindsight = hindsight(o, fit, test);
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
            row.put("coverage_test_hindsight", Double.isNaN(hindsight) ? null : hindsight);
            row.put("e2e_macro_f1", m.e2eMacroF1());
            row.put("reason", o.reason());
            rows.add(row);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", seeded.seed());
        run.put("fit_seconds", fitSeconds);
        run.put("route_seconds", routeSeconds);
        run.put("train_rows", fit.data().validRows());
        run.put("surrogate", fit.zoo().winnerSpec().name());
        run.put("rows", rows);
        return run;
    }

    /** The target's hindsight coverage on test.csv ({@link HindsightCoverage}); NaN when it deploys nothing. */
    private static double hindsight(TargetOutcome o, FitResult fit, Dataset<Row> test) {
        Optional<RoutingPlan> open = HindsightCoverage.acceptingAll(o, fit.data().labels(), fit.data().encoder().dim(),
                fit.ood());
        if (open.isEmpty()) {
            return Double.NaN;
        }
        Dataset<Row> routed = new BatchRouter(open.get()).route(test).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return HindsightCoverage.of(routed, o.target());
        } finally {
            routed.unpersist();
        }
    }

    /** Per target over the seeds: median and worst test coverage, median hindsight coverage, lowest test agreement. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> overSeeds(List<Map<String, Object>> runs) {
        Map<Double, List<Map<String, Object>>> byTarget = new java.util.TreeMap<>();
        for (Map<String, Object> run : runs) {
            for (Map<String, Object> row : (List<Map<String, Object>>) run.get("rows")) {
                byTarget.computeIfAbsent((Double) row.get("target"), t -> new ArrayList<>()).add(row);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byTarget.forEach((target, rows) -> {
            double[] coverage = rows.stream().mapToDouble(r -> (Double) r.get("coverage_test")).sorted().toArray();
            int n = coverage.length;
            double median = median(coverage);
            Double lowest = rows.stream().map(r -> (Double) r.get("agreement_test")).filter(java.util.Objects::nonNull)
                    .min(Double::compare).orElse(null);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("target", target);
            t.put("seeds", n);
            t.put("median_coverage_test", median);
            t.put("worst_coverage_test", coverage[0]);
            double[] hindsight = rows.stream().map(r -> (Double) r.get("coverage_test_hindsight"))
                    .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
            t.put("median_coverage_test_hindsight", hindsight.length == 0 ? null : median(hindsight));
            t.put("lowest_agreement_test", lowest);
            t.put("below_target", rows.stream().filter(r -> r.get("agreement_test") != null
                    && (Double) r.get("agreement_test") < target).count());
            out.add(t);
        });
        return out;
    }

    /** The median of ascending values, the mean of the middle two when their number is even. */
    private static double median(double[] ascending) {
        int n = ascending.length;
        return n % 2 == 1 ? ascending[n / 2] : (ascending[n / 2 - 1] + ascending[n / 2]) / 2;
    }
}
