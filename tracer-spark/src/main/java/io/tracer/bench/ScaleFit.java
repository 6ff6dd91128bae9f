package io.tracer.bench;

import io.tracer.certify.TargetOutcome;
import io.tracer.config.TracerConfig;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitResult;
import io.tracer.fit.FitRun;
import io.tracer.fit.RowAccounting;
import io.tracer.fit.StageObserver;
import io.tracer.lakehouse.LakehouseLayout;
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
 * One row of B3: the default fit of one generated trace table, in a JVM of its own so its memory
 * peaks are its own, then every target's policy judged on a held-out draw of the same
 * population. {@link ScaleBenchmark} runs one per size.
 */
public final class ScaleFit {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleFit.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public ScaleFit(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /**
     * @param tracesUri  the generated traces (Delta)
     * @param heldOutUri a disjoint draw of the same population (Delta), never read by the fit
     */
    public Map<String, Object> run(String tracesUri, String heldOutUri, String runId) {
        return run(tracesUri, heldOutUri, runId, false);
    }

    /**
     * @param liveHeap also measure the driver's live heap at each stage end
     *                 ({@link ProcessPeaks#liveHeapAtStageEnds}): the collections' seconds are taken
     *                 out of fit_seconds, but they shrink the heap and disturb the timings
     */
    public Map<String, Object> run(String tracesUri, String heldOutUri, String runId, boolean liveHeap) {
        Map<String, Object> row = new LinkedHashMap<>();
        FitResult fit;
        double fitSeconds;
        try (ProcessPeaks peaks = ProcessPeaks.start()) {
            long t0 = System.nanoTime();
            FitRun.Finished done = new FitRun(spark, config, layout,
                    liveHeap ? peaks.liveHeapAtStageEnds() : StageObserver.NONE)
                    .run(new FitRequest(TraceSource.of(tracesUri), runId, true, Optional.empty(), "bench scale"));
            // the full collections at stage ends are the benchmark's, not the fit's
            fitSeconds = (System.nanoTime() - t0) / 1e9 - peaks.forcedGcSeconds();
            fit = done.fit();
            RowAccounting rows = fit.data().rows();
            row.put("traces", rows.read());
            row.put("fit_seconds", fitSeconds);
            row.put("stage_seconds", fit.stageSeconds());
            row.put("peak_heap_mb", Math.round(peaks.peakHeapAfterGcMb()));
            if (liveHeap) {
                row.put("peak_live_heap_mb", Math.round(peaks.peakLiveHeapMb()));
                Map<String, Object> byStage = new LinkedHashMap<>();
                for (ProcessPeaks.StageHeap h : peaks.stageHeaps()) {
                    Map<String, Object> at = new LinkedHashMap<>();
                    at.put("heap_mb", mb(h.heapBytes()));
                    at.put("block_cache_mb", mb(h.blockCacheBytes()));
                    at.put("live_mb", mb(h.liveBytes()));
                    byStage.put(h.stage(), at);
                }
                row.put("heap_at_stage_end", byStage);
                row.put("forced_gc_seconds", peaks.forcedGcSeconds());
            }
            row.put("peak_rss_mb", Math.round(ProcessPeaks.peakRssMb()));
            row.put("heap_max_mb", Math.round(Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0)));
            Map<String, Object> accounting = new LinkedHashMap<>();
            accounting.put("read", rows.read());
            accounting.put("quarantined", rows.invalid());
            accounting.put("duplicates", rows.duplicates());
            accounting.put("train", rows.train());
            accounting.put("selection", rows.selection());
            accounting.put("calibration", rows.calibration());
            row.put("rows", accounting);
            row.put("surrogate", fit.zoo().winnerSpec().name());
        }
        LOG.info("scale: fitted {} traces in {} s; judging every target on {}", row.get("traces"),
                String.format("%.1f", fitSeconds), heldOutUri);
        Dataset<Row> heldOut = Features.add(spark.read().format("delta").load(heldOutUri))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            row.put("heldout_rows", heldOut.count());
            List<Map<String, Object>> targets = new ArrayList<>();
            for (TargetOutcome o : fit.outcomes()) {
                RoutedMetrics m = RoutedMetrics.of(new BatchRouter(RoutingPlan.of(o, fit.data().labels(),
                        fit.data().encoder().dim(), fit.ood())).route(heldOut));
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("target", o.target());
                t.put("method", o.method().id());
                t.put("pipeline", o.deployed().map(d -> d.candidate().label()).orElse(null));
                t.put("coverage_cal", o.coverage());
                t.put("coverage_test", m.coverage());
                t.put("agreement_test", m.handled() == 0 ? null : m.agreement());
                t.put("handled_test", m.handled());
                targets.add(t);
            }
            row.put("targets", targets);
        } finally {
            heldOut.unpersist();
        }
        return row;
    }

    private static long mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
