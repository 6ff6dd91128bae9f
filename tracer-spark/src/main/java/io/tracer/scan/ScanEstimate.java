package io.tracer.scan;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.QuantileGrid;
import io.tracer.calibrate.StartPoint;
import io.tracer.calibrate.ThresholdCounts;
import io.tracer.lakehouse.MetricRows.Estimate;

import java.util.ArrayList;
import java.util.List;

/**
 * The scan's estimate of what a fit could certify, per target: the fit's own prediction rule
 * ({@link StartPoint#predict}, which a fit uses to choose among candidates on its selection split)
 * applied to the scan's held-out rows, scored by the surrogate's top-1 probability (rows the
 * out-of-distribution gate flags are never handled, as in a fit). The held-out
 * counts at each threshold are scaled to the calibration split a fit of the whole table would
 * have, and the fixed-sequence test is run on them at delta. Plain Java, no Spark.
 *
 * <p>An estimate, not a certificate: the held-out rows are not a calibration split a threshold
 * was fixed before (the grid and the test read the same rows), and a fit trains on more rows and
 * chooses among more surrogates, gates (logistic, boosted) and families (RSB). Held-out noise
 * moves it both ways; the fit's other candidates can only add coverage.
 */
public final class ScanEstimate {
    private ScanEstimate() {}

    /**
     * @param scores          the surrogate's top-1 probability per held-out row; NaN for a row the
     *                        out-of-distribution gate flags (never handled, still traffic)
     * @param agree           whether its label is the teacher's, per held-out row
     * @param calibrationRows the calibration split of a fit of the whole table (the size projected to)
     * @param dailyVolume     queries per day, for the teacher calls saved
     */
    public static List<Estimate> of(double[] scores, boolean[] agree, List<Double> targets, double delta,
                                    int gridSize, long calibrationRows, long dailyVolume) {
        List<Estimate> out = new ArrayList<>();
        ThresholdCounts counts = scores.length == 0 ? null
                : ThresholdCounts.count(QuantileGrid.fromScores(scores, gridSize), scores, agree);
        for (double target : targets) {
            if (counts == null || counts.size() == 0 || calibrationRows <= 0) {
                out.add(new Estimate(target, 0.0, null, 0.0));
                continue;
            }
            Certification c = StartPoint.predict(counts, calibrationRows, target, delta).certification();
            double coverage = c.certifiedCoverage();
            Double agreement = c instanceof Certification.Certified cert ? cert.empiricalAgreement() : null;
            out.add(new Estimate(target, coverage, agreement, coverage * dailyVolume));
        }
        return out;
    }
}
