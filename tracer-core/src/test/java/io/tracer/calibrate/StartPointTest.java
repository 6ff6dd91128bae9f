package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartPointTest {

    @Test
    void startsWhereTheScaledTestHasTheMostPower() {
        // Selection of 4000, calibration of 2000: scaled counts are halves.
        double[] t = {0.95, 0.9, 0.8, 0.6, 0.3};
        long[] acc = {100, 600, 1400, 2600, 4000};
        long[] agr = {100, 598, 1380, 2500, 3500};
        ThresholdCounts sel = new ThresholdCounts(t, acc, agr, 4000, 0);
        StartPoint s = StartPoint.choose(sel, 2000, 0.95);
        ThresholdCounts scaled = sel.scaledTo(2000);
        double best = Double.POSITIVE_INFINITY;
        int bestIdx = -1;
        for (int i = 0; i < t.length; i++) {
            double lp = BinomialTail.logPValue(scaled.agreeing(i), scaled.accepted(i), 0.95);
            if (lp <= best) {
                best = lp;
                bestIdx = i;
            }
        }
        assertEquals(bestIdx, s.index());
        assertEquals(t[bestIdx], s.threshold());
        assertEquals(scaled.accepted(bestIdx), s.scaledAccepted());
        assertEquals(best, s.logPValue());
        // The strictest point (100 rows, perfect) is weaker than 600 rows at 0.997.
        assertTrue(s.index() >= 1);
    }

    @Test
    void tiesGoToTheMoreLenientThreshold() {
        // Nothing agrees anywhere: every p-value is 1.
        ThresholdCounts sel = new ThresholdCounts(new double[] {0.9, 0.5, 0.1}, new long[] {10, 20, 30},
                new long[] {0, 0, 0}, 30, 0);
        assertEquals(2, StartPoint.choose(sel, 30, 0.9).index());
        // Underflowed p-values are still ranked in log space: the larger count wins.
        ThresholdCounts big = new ThresholdCounts(new double[] {0.9, 0.5}, new long[] {5_000_000, 9_000_000},
                new long[] {5_000_000, 9_000_000}, 9_000_000, 0);
        assertEquals(1, StartPoint.choose(big, 9_000_000, 0.9).index());
        assertEquals(0.0, StartPoint.choose(big, 9_000_000, 0.9).predictedPValue());
    }

    @Test
    void predictionRunsTheTestOnScaledSelectionCounts() {
        double[] t = {0.95, 0.9, 0.8, 0.6, 0.3};
        ThresholdCounts sel = new ThresholdCounts(t, new long[] {100, 600, 1400, 2600, 4000},
                new long[] {100, 598, 1380, 2500, 3500}, 4000, 0);
        StartPoint.Prediction p = StartPoint.predict(sel, 2000, 0.95, 0.05);
        Certification expected = FixedSequence.run(sel.scaledTo(2000), p.start().index(), 0.95, 0.05, false);
        assertEquals(expected, p.certification());
        // the same walk as the full test, without the bound's bisection
        Certification.Certified full = assertInstanceOf(Certification.Certified.class,
                FixedSequence.run(sel.scaledTo(2000), p.start().index(), 0.95, 0.05));
        assertEquals(full.thresholdIndex(), ((Certification.Certified) p.certification()).thresholdIndex());
        assertTrue(Double.isNaN(((Certification.Certified) p.certification()).lowerBound()));
        Certification.Certified c = assertInstanceOf(Certification.Certified.class, p.certification());
        assertEquals(c.coverage(), p.coverage());
        // Scaled: 1250 of 1300 (0.962) still passes at 0.95, 1750 of 2000 does not.
        assertEquals(3, c.thresholdIndex());
    }
}
