package io.tracer.bench;

import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidityBenchmarkTest {

    @Test
    void pBelowIsTheLowerBinomialTail() {
        // P(Binom(20, 0.9) <= 15) summed term by term
        double direct = 0;
        for (int k = 0; k <= 15; k++) {
            direct += binomial(20, k) * Math.pow(0.9, k) * Math.pow(0.1, 20 - k);
        }
        assertEquals(direct, ValidityBenchmark.pBelow(15, 20, 0.9), 1e-12);
        assertEquals(1.0, ValidityBenchmark.pBelow(20, 20, 0.9), 0.0);
        assertEquals(Math.pow(0.1, 20), ValidityBenchmark.pBelow(0, 20, 0.9), 1e-30);
    }

    @Test
    void theTallyCountsViolationsAndSignificantOnesPerTarget() {
        ValidityBenchmark.Tally tally = new ValidityBenchmark.Tally(List.of(0.8, 0.9), 0.05);
        tally.add(new ValidityBenchmark.Resplit(0, 11L, 1.5, List.of(
                new ValidityBenchmark.Judgement(0.8, "global", 100, 85, 1.0, 0.85, false, 0.9),
                new ValidityBenchmark.Judgement(0.9, "l2d", 50, 40, 0.5, 0.8, true, 0.01))));
        tally.add(new ValidityBenchmark.Resplit(1, 12L, 1.5, List.of(
                new ValidityBenchmark.Judgement(0.8, "global", 100, 70, 1.0, 0.7, true, 0.2),
                new ValidityBenchmark.Judgement(0.9, "none", 0, 0, 0.0, null, false, null))));
        assertEquals(List.of(new ValidityBenchmark.TargetTally(0.8, 1, 0.5, 0, 1.0),
                new ValidityBenchmark.TargetTally(0.9, 1, 0.5, 1, 0.25)), tally.rows(2));
        Map<String, Object> json = tally.rows(2).get(1).asMap();
        assertEquals(List.of("target", "violations", "share", "significant_violations", "mean_coverage_test"),
                List.copyOf(json.keySet()));
        assertEquals(List.of("resplit", "seed", "fit_seconds", "targets"), List.copyOf(tally.runs.get(0).asMap().keySet()));
        Map<String, Object> none = tally.runs.get(1).targets().get(1).asMap();
        assertEquals(List.of("target", "method", "handled_test", "agreeing_test", "coverage_test", "agreement_test",
                "violated", "p_below_target"), List.copyOf(none.keySet()));
        assertTrue(none.containsKey("agreement_test") && none.get("agreement_test") == null,
                "a null is written as null, as before");
    }

    @Test
    @SuppressWarnings("unchecked")
    void syntheticRunFitsOnAHistoryAndJudgesEveryTargetOnTheFutureDraw(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        TracerConfig config = ConfigLoader.load(null, Map.of(
                "tracer.lakehouse.root", dir.resolve("lake").toUri().toString(),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1]",
                "tracer.pipeline.families", "[global, l2d]",
                "tracer.calibrate.targets", "[0.8, 0.9]",
                "tracer.calibrate.grid-size", "200",
                "tracer.report.enabled", "false"));
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        SyntheticSpec population = SyntheticSpec.of(1, 8, 4, 0.03, 0.0, 5L);

        Map<String, Object> out = new ValidityBenchmark(spark, config, layout).runSynthetic(population, 1_500, 2_000, 1);

        assertEquals("validity", out.get("benchmark"));
        assertEquals("synthetic", out.get("source"));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) out.get("rows");
        assertEquals(List.of(0.8, 0.9), rows.stream().map(r -> r.get("target")).toList());
        Map<String, Object> run = ((List<Map<String, Object>>) out.get("runs")).get(0);
        for (Map<String, Object> t : (List<Map<String, Object>>) run.get("targets")) {
            long handled = (Long) t.get("handled_test");
            long agreeing = (Long) t.get("agreeing_test");
            assertTrue(handled <= 2_000 && agreeing <= handled, t.toString());
            assertEquals(handled / 2_000.0, (Double) t.get("coverage_test"), 1e-12);
            boolean violated = (Boolean) t.get("violated");
            assertEquals(handled > 0 && (double) agreeing / handled < (Double) t.get("target"), violated);
        }
        for (Map<String, Object> r : rows) {
            assertTrue((Long) r.get("significant_violations") <= (Long) r.get("violations"));
        }
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
