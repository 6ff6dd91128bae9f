package io.tracer.calibrate;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.util.FastMath;

/**
 * Exact p-value of the one-sided binomial test of H0 "agreement p &lt;= target" after seeing
 * {@code agreeing} of {@code accepted} rows agree: {@code P(Binom(accepted, target) >= agreeing)}.
 *
 * <p>The tail equals the regularized incomplete beta {@code I_target(x, n - x + 1)}, which
 * commons-math evaluates by continued fraction to about 1e-14 relative error for any n that fits
 * a double exactly. Below {@link #UNDERFLOW_GUARD} that value loses precision and finally
 * underflows, so there the tail is summed in log space instead; {@link #logPValue} stays finite
 * long after {@link #pValue} has reached 0, which lets the start point rank thresholds even when
 * every p-value is astronomically small.
 */
public final class BinomialTail {
    /** Below this the beta route is abandoned for the log-space sum (still normal doubles). */
    static final double UNDERFLOW_GUARD = 1e-280;
    private static final double SERIES_EPS = 1e-17;

    private BinomialTail() {}

    /** {@code P(Binom(accepted, target) >= agreeing)}; 1 when {@code agreeing == 0} (also n = 0). */
    public static double pValue(long agreeing, long accepted, double target) {
        check(agreeing, accepted, target);
        if (agreeing == 0) {
            return 1.0;
        }
        double beta = Beta.regularizedBeta(target, agreeing, accepted - agreeing + 1.0);
        if (beta >= UNDERFLOW_GUARD) {
            return Math.min(1.0, beta);
        }
        return FastMath.exp(logTailSeries(agreeing, accepted, target));
    }

    /** Natural log of {@link #pValue}; finite for every valid input (0 when the p-value is 1). */
    public static double logPValue(long agreeing, long accepted, double target) {
        check(agreeing, accepted, target);
        if (agreeing == 0) {
            return 0.0;
        }
        double beta = Beta.regularizedBeta(target, agreeing, accepted - agreeing + 1.0);
        if (beta >= UNDERFLOW_GUARD) {
            return FastMath.log(Math.min(1.0, beta));
        }
        return logTailSeries(agreeing, accepted, target);
    }

    /**
     * log P(X >= x) = log pmf(x) + log sum_j pmf(x + j) / pmf(x). Only used when the tail is
     * tiny, i.e. x is far above the mean, where the term ratio is well below 1 and the sum
     * converges in few steps. The ratio falls as j grows, so once it is below 1 the rest of the
     * sum is bounded by a geometric series and we stop when that bound is negligible.
     */
    static double logTailSeries(long x, long n, double p) {
        double logRatioPq = FastMath.log(p) - FastMath.log1p(-p);
        double sum = 1.0;
        double term = 1.0;
        for (long k = x; k < n; k++) {
            double r = FastMath.exp(FastMath.log((double) (n - k) / (k + 1.0)) + logRatioPq);
            term *= r;
            sum += term;
            if (r < 1.0 && term * r / (1.0 - r) < SERIES_EPS * sum) {
                break;
            }
        }
        return logPmf(x, n, p) + FastMath.log(sum);
    }

    /** log C(n, x) p^x (1-p)^(n-x), with log C(n, x) = -log(n + 1) - log B(x + 1, n - x + 1). */
    static double logPmf(long x, long n, double p) {
        double logChoose = -FastMath.log(n + 1.0) - Beta.logBeta(x + 1.0, n - x + 1.0);
        double logQ = FastMath.log1p(-p);
        double a = x == 0 ? 0.0 : x * FastMath.log(p);
        double b = x == n ? 0.0 : (n - x) * logQ;
        return logChoose + a + b;
    }

    private static void check(long agreeing, long accepted, double target) {
        if (accepted < 0 || agreeing < 0 || agreeing > accepted) {
            throw new IllegalArgumentException(
                    "need 0 <= agreeing <= accepted, got agreeing=" + agreeing + " accepted=" + accepted);
        }
        if (!(target > 0.0 && target < 1.0)) {
            throw new IllegalArgumentException("target must be in (0, 1), got " + target);
        }
    }
}
