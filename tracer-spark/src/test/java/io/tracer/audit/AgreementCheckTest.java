package io.tracer.audit;

import io.tracer.calibrate.BinomialTail;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The audit's statistics against brute-force binomial sums. */
class AgreementCheckTest {
    private static double pmfSumAtMost(long x, long n, double p) {
        double s = 0;
        for (long k = 0; k <= x; k++) {
            s += Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
        }
        return s;
    }

    private static double logChoose(long n, long k) {
        return org.apache.commons.math3.util.CombinatoricsUtils.binomialCoefficientLog((int) n, (int) k);
    }

    @Test
    void pValueIsTheExactLowerTail() {
        for (long[] c : new long[][] {{90, 100}, {180, 200}, {50, 60}, {10, 10}, {0, 5}}) {
            double expected = pmfSumAtMost(c[0], c[1], 0.95);
            assertEquals(expected, AgreementCheck.lowerTail(c[0], c[1], 0.95), 1e-10 + 1e-9 * expected);
        }
    }

    @Test
    void violationIsAOneSidedTestAtAlphaAndAgreesWithTheUpperBound() {
        // 90 of 100 against 0.95: P(X <= 90) ~ 0.028, violated at 0.05, not at 0.01
        AgreementCheck t = AgreementCheck.of(90, 100, 0.95, 0.05);
        assertTrue(t.violated());
        assertFalse(AgreementCheck.of(90, 100, 0.95, 0.01).violated());
        assertTrue(t.ciLower() < 0.9 && 0.9 < t.ciUpper(), t.toString());
        // p <= alpha exactly when the one-sided 1 - alpha upper bound is below the target
        for (long x = 80; x <= 100; x++) {
            AgreementCheck a = AgreementCheck.of(x, 100, 0.95, 0.05);
            assertEquals(a.violated(), AgreementCheck.upperBound(x, 100, 0.05) < 0.95, "x = " + x);
        }
        assertFalse(AgreementCheck.of(97, 100, 0.95, 0.05).violated());
    }

    @Test
    void intervalIsTwoSidedAndExact() {
        AgreementCheck t = AgreementCheck.of(45, 50, 0.9, 0.05);
        // at the ends each one-sided tail is alpha / 2
        assertEquals(0.025, BinomialTail.pValue(45, 50, t.ciLower()), 1e-6);
        assertEquals(0.025, AgreementCheck.lowerTail(45, 50, t.ciUpper()), 1e-6);
        assertEquals(1.0, AgreementCheck.of(50, 50, 0.9, 0.05).ciUpper(), 1e-12);
    }

    @Test
    void nothingCheckedIsNoEvidence() {
        AgreementCheck t = AgreementCheck.of(0, 0, 0.95, 0.05);
        assertFalse(t.violated());
        assertEquals(1.0, t.pValue());
        assertTrue(Double.isNaN(t.agreement()));
    }
}
