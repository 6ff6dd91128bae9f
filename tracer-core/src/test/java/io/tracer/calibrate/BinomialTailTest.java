package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinomialTailTest {
    private static final MathContext MC = new MathContext(60);

    /** P(Binom(n, p) >= x) for every x = 0..n, summed exactly in 60-digit decimals, p as the exact double. */
    static BigDecimal[] exactTails(int n, double p) {
        BigDecimal bp = new BigDecimal(p);
        BigDecimal bq = BigDecimal.ONE.subtract(bp);
        BigDecimal[] qPow = new BigDecimal[n + 1];
        qPow[0] = BigDecimal.ONE;
        for (int k = 1; k <= n; k++) {
            qPow[k] = qPow[k - 1].multiply(bq, MC);
        }
        BigDecimal[] pmf = new BigDecimal[n + 1];
        BigInteger choose = BigInteger.ONE;
        BigDecimal pPow = BigDecimal.ONE;
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                choose = choose.multiply(BigInteger.valueOf(n - k + 1)).divide(BigInteger.valueOf(k));
                pPow = pPow.multiply(bp, MC);
            }
            pmf[k] = new BigDecimal(choose).multiply(pPow, MC).multiply(qPow[n - k], MC);
        }
        BigDecimal[] tail = new BigDecimal[n + 1];
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = n; k >= 0; k--) {
            sum = sum.add(pmf[k], MC);
            tail[k] = sum;
        }
        return tail;
    }

    static BigDecimal exactTail(int x, int n, double p) {
        return exactTails(n, p)[x];
    }

    @Test
    void matchesExactSummationForSmallN() {
        double[] targets = {0.5, 0.8, 0.85, 0.9, 0.92, 0.95, 0.98, 0.999};
        int[] sizes = {1, 2, 5, 10, 30, 77, 150, 400};
        double worst = 0;
        for (double t : targets) {
            for (int n : sizes) {
                BigDecimal[] tails = exactTails(n, t);
                for (int x = 0; x <= n; x++) {
                    double exact = tails[x].doubleValue();
                    double got = BinomialTail.pValue(x, n, t);
                    double rel = Math.abs(got - exact) / exact;
                    worst = Math.max(worst, rel);
                    assertTrue(rel < 1e-11, "n=" + n + " x=" + x + " t=" + t + " exact=" + exact + " got=" + got);
                    double logExact = Math.log(exact);
                    assertEquals(logExact, BinomialTail.logPValue(x, n, t), 1e-11 * Math.max(1, Math.abs(logExact)));
                }
            }
        }
        System.out.println("BinomialTail worst relative error vs exact sums: " + worst);
    }

    @Test
    void edgeCases() {
        assertEquals(1.0, BinomialTail.pValue(0, 0, 0.9));
        assertEquals(1.0, BinomialTail.pValue(0, 1000, 0.9));
        assertEquals(0.0, BinomialTail.logPValue(0, 0, 0.9));
        // All n agree: the tail is target^n.
        assertEquals(Math.pow(0.98, 149), BinomialTail.pValue(149, 149, 0.98), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> BinomialTail.pValue(5, 4, 0.9));
        assertThrows(IllegalArgumentException.class, () -> BinomialTail.pValue(-1, 4, 0.9));
        assertThrows(IllegalArgumentException.class, () -> BinomialTail.pValue(1, 4, 1.0));
        assertThrows(IllegalArgumentException.class, () -> BinomialTail.pValue(1, 4, Double.NaN));
    }

    @Test
    void tinyTailsStayAccurateInLogSpace() {
        // x = n: log tail is exactly n log t, far below double range for n = 10^7.
        long n = 10_000_000L;
        assertEquals(n * Math.log(0.98), BinomialTail.logPValue(n, n, 0.98), 1e-6 * n * 0.0202);
        assertEquals(0.0, BinomialTail.pValue(n, n, 0.98));
        // Across the 1e-280 guard (series route below it, beta route above): match the exact sum.
        int seriesHits = 0;
        BigDecimal[] tails = exactTails(1100, 0.5);
        for (int x = 1040; x <= 1100; x += 5) {
            BigDecimal e = tails[x];
            double logE = Math.log(e.unscaledValue().doubleValue()) - e.scale() * Math.log(10);
            assertEquals(logE, BinomialTail.logPValue(x, 1100, 0.5), 1e-10 * Math.abs(logE), "x=" + x);
            if (logE < Math.log(BinomialTail.UNDERFLOW_GUARD)) {
                seriesHits++;
            }
        }
        assertTrue(seriesHits >= 3, "the log-space route must be exercised");
        // Where both routes are valid they agree.
        for (int x = 960; x <= 1040; x += 20) {
            double viaBeta = Math.log(BinomialTail.pValue(x, 1100, 0.5));
            assertEquals(viaBeta, BinomialTail.logTailSeries(x, 1100, 0.5), 1e-11 * Math.abs(viaBeta));
        }
    }

    @Test
    void largeNAgreesWithIndependentLogSum() {
        long n = 10_000_000L;
        double t = 0.95;
        double sd = Math.sqrt(n * t * (1 - t));
        for (double z : new double[] {-3, -1, 0, 1, 3, 8, 20, 60}) {
            long x = Math.round(n * t + z * sd);
            double got = BinomialTail.logPValue(x, n, t);
            double ref = bruteLogTail(x, n, t);
            assertEquals(ref, got, 1e-7 * Math.max(1, Math.abs(ref)), "z=" + z);
        }
    }

    /** Log-sum-exp over every term from x to n, pmf by lgamma: slow but independent of the beta route. */
    private static double bruteLogTail(long x, long n, double p) {
        double logPmf = BinomialTail.logPmf(x, n, p);
        double logR = Math.log(p) - Math.log1p(-p);
        double sum = 0;
        double logTerm = 0;
        for (long k = x; k <= n; k++) {
            sum += Math.exp(logTerm);
            if (logTerm < -60) {
                break;
            }
            logTerm += Math.log((double) (n - k) / (k + 1)) + logR;
        }
        return logPmf + Math.log(sum);
    }

    @Test
    void pValueRisesWithTargetAndFallsWithAgreement() {
        double prev = 0;
        for (double t = 0.5; t < 0.999; t += 0.01) {
            double p = BinomialTail.pValue(930, 1000, t);
            assertTrue(p >= prev);
            prev = p;
        }
        prev = 1.0;
        for (int x = 0; x <= 1000; x += 10) {
            double p = BinomialTail.pValue(x, 1000, 0.9);
            assertTrue(p <= prev);
            prev = p;
        }
    }
}
