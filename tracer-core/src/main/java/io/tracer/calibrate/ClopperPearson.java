package io.tracer.calibrate;

/**
 * Exact one-sided Clopper-Pearson lower confidence bound on a binomial proportion.
 *
 * <p>The bound at confidence {@code 1 - delta} is the largest p for which
 * {@code P(Binom(n, p) >= x) <= delta}. It is found by bisection on {@link BinomialTail} rather
 * than through a beta quantile solver, so the bound and the p-value the fixed-sequence test uses
 * come from one function: {@code pValue(x, n, target) <= delta} exactly when target is at or
 * below the bound (up to one ulp of the bisection).
 */
public final class ClopperPearson {
    private static final int MAX_STEPS = 200;

    private ClopperPearson() {}

    /**
     * Lower bound on the agreement rate at confidence {@code 1 - delta} after {@code agreeing}
     * of {@code accepted} rows agree; 0 when nothing agrees (or nothing was accepted).
     */
    public static double lowerBound(long agreeing, long accepted, double delta) {
        if (accepted < 0 || agreeing < 0 || agreeing > accepted) {
            throw new IllegalArgumentException(
                    "need 0 <= agreeing <= accepted, got agreeing=" + agreeing + " accepted=" + accepted);
        }
        if (!(delta > 0.0 && delta < 1.0)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (agreeing == 0) {
            return 0.0;
        }
        // Invariant: the tail at lo is <= delta (lo = 0 by convention), at hi it is > delta.
        double lo = 0.0;
        double hi = 1.0;
        for (int step = 0; step < MAX_STEPS; step++) {
            double mid = lo + (hi - lo) / 2.0;
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (BinomialTail.pValue(agreeing, accepted, mid) <= delta) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
