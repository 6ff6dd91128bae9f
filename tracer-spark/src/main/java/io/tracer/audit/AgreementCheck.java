package io.tracer.audit;

import io.tracer.calibrate.BinomialTail;
import io.tracer.calibrate.ClopperPearson;

/**
 * Agreement on checked rows against a target, with exact statistics (plain Java).
 *
 * <p>The test: H0 "agreement >= target" against "agreement &lt; target", p-value
 * {@code P(Binom(checked, target) <= agreeing)}, computed as the upper tail
 * {@code P(Binom(checked, 1 - target) >= checked - agreeing)} so that small p-values keep their
 * precision. A violation is {@code p <= alpha}: under H0 it is flagged with probability at most
 * alpha. The interval is the two-sided exact Clopper-Pearson interval at confidence
 * {@code 1 - alpha} (each end at {@code alpha / 2}); it is reported alongside, the decision is the
 * one-sided test.
 *
 * @param agreement NaN when nothing was checked
 */
public record AgreementCheck(long checked, long agreeing, double agreement, double ciLower, double ciUpper,
                            double pValue, boolean violated) {

    public static AgreementCheck of(long agreeing, long checked, double target, double alpha) {
        return of(agreeing, checked, target, alpha, alpha);
    }

    /**
     * @param intervalAlpha the interval's level (1 - intervalAlpha confidence)
     * @param testAlpha     the level the violation is judged at (smaller under a multiplicity correction)
     */
    public static AgreementCheck of(long agreeing, long checked, double target, double intervalAlpha,
                                   double testAlpha) {
        if (checked < 0 || agreeing < 0 || agreeing > checked) {
            throw new IllegalArgumentException("need 0 <= agreeing <= checked, got " + agreeing + " of " + checked);
        }
        if (!(target > 0 && target < 1) || !(intervalAlpha > 0 && intervalAlpha < 1) || !(testAlpha > 0 && testAlpha < 1)) {
            throw new IllegalArgumentException("target and alpha must be in (0, 1), got " + target + ", "
                    + intervalAlpha + ", " + testAlpha);
        }
        if (checked == 0) {
            return new AgreementCheck(0, 0, Double.NaN, 0.0, 1.0, 1.0, false);
        }
        double p = lowerTail(agreeing, checked, target);
        return new AgreementCheck(checked, agreeing, (double) agreeing / checked,
                ClopperPearson.lowerBound(agreeing, checked, intervalAlpha / 2),
                upperBound(agreeing, checked, intervalAlpha / 2), p, p <= testAlpha);
    }

    /** {@code P(Binom(n, p) <= x)}. */
    public static double lowerTail(long x, long n, double p) {
        return BinomialTail.pValue(n - x, n, 1 - p);
    }

    /**
     * The exact one-sided upper confidence bound at {@code 1 - alpha}: the smallest p with
     * {@code P(Binom(n, p) <= x) <= alpha}, i.e. one minus the lower bound of the disagreeing count.
     */
    public static double upperBound(long x, long n, double alpha) {
        return 1.0 - ClopperPearson.lowerBound(n - x, n, alpha);
    }
}
