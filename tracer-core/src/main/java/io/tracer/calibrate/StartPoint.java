package io.tracer.calibrate;

import org.apache.commons.math3.util.FastMath;

/**
 * Where the fixed sequence starts, chosen on the SELECTION split only, so the sequence is fixed
 * before calibration is read.
 *
 * <p>A fixed sequence stops at its first failure: started too strict, the first tests have too
 * few rows to reach p &lt;= delta; started at the selection split's "just passes" point, the
 * calibration test fails about half the time (measured, /work/shared/GUARANTEE-NOTES.md). So it
 * starts where the test is predicted to have the most power: each threshold's selection counts
 * are scaled to the calibration size ({@link ThresholdCounts#scaledTo}) and the start is the
 * threshold with the smallest predicted p-value, ranked in log space so thresholds whose
 * p-values underflow still compare; ties go to the more lenient threshold.
 *
 * @param index          position of the start in the sequence
 * @param threshold      the start threshold
 * @param scaledAccepted selection accepted count scaled to the calibration size
 * @param scaledAgreeing selection agreeing count scaled likewise
 * @param logPValue      natural log of the predicted p-value at the start
 */
public record StartPoint(int index, double threshold, long scaledAccepted, long scaledAgreeing, double logPValue) {

    /** The predicted p-value at the start (0 once it underflows; see {@link #logPValue}). */
    public double predictedPValue() { return FastMath.exp(logPValue); }

    /**
     * The start for {@code selection} counts when calibration will have {@code calibrationRows}
     * rows (its size only; the split size is set by the split, not by the labels).
     */
    public static StartPoint choose(ThresholdCounts selection, long calibrationRows, double target) {
        if (selection.size() == 0) {
            throw new IllegalArgumentException("empty threshold sequence");
        }
        ThresholdCounts scaled = selection.scaledTo(calibrationRows);
        int best = 0;
        double bestLog = Double.POSITIVE_INFINITY;
        for (int i = 0; i < scaled.size(); i++) {
            double logP = BinomialTail.logPValue(scaled.agreeing(i), scaled.accepted(i), target);
            if (logP <= bestLog) {
                best = i;
                bestLog = logP;
            }
        }
        return new StartPoint(best, scaled.threshold(best), scaled.accepted(best), scaled.agreeing(best), bestLog);
    }

    /**
     * What the whole procedure is predicted to certify, on the selection split alone: the
     * fixed-sequence test run on the selection counts scaled to the calibration size, from the
     * chosen start. The lead compares candidate pipelines by
     * {@code prediction.certification().certifiedCoverage()}.
     */
    public static Prediction predict(ThresholdCounts selection, long calibrationRows, double target, double delta) {
        StartPoint start = choose(selection, calibrationRows, target);
        // No Clopper-Pearson bound: it is a bisection, and a prediction is read for its coverage.
        Certification predicted = FixedSequence.run(selection.scaledTo(calibrationRows), start.index(),
                target, delta, false);
        return new Prediction(start, predicted);
    }

    /**
     * The chosen start and the certification the scaled selection counts would get from it (its
     * {@code lowerBound} is NaN: a prediction has no bound).
     */
    public record Prediction(StartPoint start, Certification certification) {
        /** Predicted certified coverage; 0 when the prediction certifies nothing. */
        public double coverage() { return certification.certifiedCoverage(); }
    }
}
