package io.tracer.scan;

import io.tracer.lakehouse.MetricRows.Estimate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanEstimateTest {
    /**
     * A surrogate whose top-1 probability is its chance of agreeing: the estimate certifies more at
     * a looser target, holds each target on what it handles, and gains coverage when projected to
     * a larger calibration split (the bound tightens), as a fit of a larger table would.
     */
    @Test
    void theEstimateFollowsTheTargetAndTheCalibrationSize() {
        Random r = new Random(3);
        int n = 4000;
        double[] scores = new double[n];
        boolean[] agree = new boolean[n];
        for (int i = 0; i < n; i++) {
            scores[i] = 0.5 + 0.5 * r.nextDouble();
            agree[i] = r.nextDouble() < scores[i];
        }
        List<Double> targets = List.of(0.8, 0.9, 0.95);
        List<Estimate> small = ScanEstimate.of(scores, agree, targets, 0.05, 500, 1000, 100_000);
        List<Estimate> large = ScanEstimate.of(scores, agree, targets, 0.05, 500, 1_000_000, 100_000);
        for (int i = 0; i < targets.size(); i++) {
            assertTrue(large.get(i).coverage() >= small.get(i).coverage(), small + " vs " + large);
            if (small.get(i).coverage() > 0) {
                assertTrue(small.get(i).agreement() >= targets.get(i), small.toString());
            }
            if (i > 0) {
                assertTrue(small.get(i).coverage() <= small.get(i - 1).coverage(), small.toString());
            }
        }
        assertTrue(small.get(0).coverage() > 0.3, small.toString());
        assertEquals(large.get(1).coverage() * 100_000, large.get(1).callsSavedPerDay(), 1e-6);
    }

    @Test
    void noHeldOutRowsMeansNoCoverage() {
        Estimate e = ScanEstimate.of(new double[0], new boolean[0], List.of(0.9), 0.05, 100, 1000, 10).get(0);
        assertEquals(0.0, e.coverage());
        assertNull(e.agreement());
    }
}
