package io.tracer.calibrate;

import org.apache.commons.math3.util.FastMath;

/**
 * Learn-then-test with fixed-sequence testing. The thresholds are ordered strict to lenient and
 * the order (and the start) are fixed before the calibration split is read. Walking from the
 * start toward lenient, each threshold's null hypothesis "agreement among accepted rows &lt;
 * target" is rejected while its exact binomial p-value is &lt;= delta; the walk stops at the
 * first failure and the most lenient rejected threshold is deployed. Because a hypothesis is
 * only tested after every earlier one was rejected, the chance of rejecting any true null is at
 * most delta (no multiplicity correction needed); see docs/guarantee.md.
 */
public final class FixedSequence {
    private FixedSequence() {}

    /**
     * Certifies {@code calibration} from {@code start} toward lenient at {@code target} and
     * {@code delta}. A single-threshold sequence (the global policy) is just a sequence of one.
     */
    public static Certification run(ThresholdCounts calibration, int start, double target, double delta) {
        return run(calibration, start, target, delta, true);
    }

    /**
     * @param withBound false leaves {@link Certification.Certified#lowerBound} NaN: a prediction
     *                  ({@link StartPoint#predict}) needs the walk, not the bound's bisection
     */
    static Certification run(ThresholdCounts calibration, int start, double target, double delta, boolean withBound) {
        checkTargetDelta(target, delta);
        long minimum = minimumAccepted(target, delta);
        if (calibration.size() == 0) {
            return new Certification.InsufficientData(-1, 0, calibration.n(), minimum,
                    "the threshold sequence is empty", target, delta);
        }
        if (start < 0 || start >= calibration.size()) {
            throw new IllegalArgumentException("start " + start + " outside the sequence of " + calibration.size());
        }
        if (calibration.n() == 0) {
            return new Certification.InsufficientData(-1, 0, 0, minimum,
                    "no calibration rows", target, delta);
        }
        if (calibration.accepted(start) < minimum) {
            return new Certification.InsufficientData(start, calibration.accepted(start), calibration.n(), minimum,
                    "the start accepts " + calibration.accepted(start) + " calibration rows; even with perfect "
                            + "agreement " + minimum + " are needed to reach p <= " + delta + " at target " + target,
                    target, delta);
        }
        int lastRejected = -1;
        double lastP = Double.NaN;
        for (int i = start; i < calibration.size(); i++) {
            double p = BinomialTail.pValue(calibration.agreeing(i), calibration.accepted(i), target);
            if (p > delta) {
                if (lastRejected < 0) {
                    return new Certification.BelowTarget(i, calibration.threshold(i), calibration.accepted(i),
                            calibration.agreeing(i), calibration.n(), p, target, delta);
                }
                break;
            }
            lastRejected = i;
            lastP = p;
        }
        long acc = calibration.accepted(lastRejected);
        long agr = calibration.agreeing(lastRejected);
        return new Certification.Certified(start, lastRejected, calibration.threshold(lastRejected), acc, agr,
                calibration.n(), calibration.coverage(lastRejected), (double) agr / acc,
                withBound ? ClopperPearson.lowerBound(agr, acc, delta) : Double.NaN, lastP, target, delta);
    }

    /**
     * The smallest accepted count n with {@code target^n <= delta}: below it even n agreeing of n
     * cannot reach p &lt;= delta (0.98 and 0.05 need 149).
     */
    public static long minimumAccepted(double target, double delta) {
        checkTargetDelta(target, delta);
        long n = (long) FastMath.ceil(FastMath.log(delta) / FastMath.log(target));
        // The log ratio can land an ulp on the wrong side of an integer; settle it on the tail itself.
        n = Math.max(n - 1, 0);
        while (BinomialTail.pValue(n, n, target) > delta) {
            n++;
        }
        return n;
    }

    static void checkTargetDelta(double target, double delta) {
        if (!(target > 0.0 && target < 1.0)) {
            throw new IllegalArgumentException("target must be in (0, 1), got " + target);
        }
        if (!(delta > 0.0 && delta < 1.0)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
    }
}
