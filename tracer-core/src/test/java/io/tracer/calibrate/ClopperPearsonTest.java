package io.tracer.calibrate;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClopperPearsonTest {

    @Test
    void belowPointEstimateAndTighteningWithN() {
        double prevGap = 1;
        for (int n : new int[] {10, 50, 200, 1000, 5000, 20000}) {
            long x = Math.round(0.93 * n);
            double lb = ClopperPearson.lowerBound(x, n, 0.05);
            double gap = (double) x / n - lb;
            assertTrue(gap > 0, "n=" + n);
            assertTrue(gap < prevGap, "bound must tighten with n: n=" + n);
            prevGap = gap;
        }
    }

    @Test
    void edgeCases() {
        assertEquals(0.0, ClopperPearson.lowerBound(0, 0, 0.05));
        assertEquals(0.0, ClopperPearson.lowerBound(0, 500, 0.05));
        // x = n: the bound is delta^(1/n).
        assertEquals(Math.pow(0.05, 1.0 / 100), ClopperPearson.lowerBound(100, 100, 0.05), 1e-12);
        // Tiny n: even perfect agreement stays far below a useful target.
        assertTrue(ClopperPearson.lowerBound(3, 3, 0.05) < 0.4);
    }

    @Test
    void matchesBetaQuantile() {
        for (int n : new int[] {5, 40, 300, 2000}) {
            for (long x = 1; x <= n; x += Math.max(1, n / 7)) {
                double viaBeta = new BetaDistribution(null, x, n - x + 1, 1e-14).inverseCumulativeProbability(0.05);
                assertEquals(viaBeta, ClopperPearson.lowerBound(x, n, 0.05), 1e-9, "x=" + x + " n=" + n);
            }
        }
    }

    @Test
    void consistentWithTheTestDecision() {
        // target <= bound exactly when the p-value at target is <= delta.
        for (int x = 880; x <= 960; x++) {
            double lb = ClopperPearson.lowerBound(x, 1000, 0.05);
            for (double t : new double[] {0.85, 0.9, 0.92}) {
                boolean rejects = BinomialTail.pValue(x, 1000, t) <= 0.05;
                assertEquals(rejects, t <= lb, "x=" + x + " t=" + t);
            }
        }
    }
}
