package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedSequenceTest {

    @Test
    void minimumAcceptedMatchesTheNotes() {
        assertEquals(149, FixedSequence.minimumAccepted(0.98, 0.05));
        assertEquals(59, FixedSequence.minimumAccepted(0.95, 0.05));
        for (double t : new double[] {0.8, 0.9, 0.95, 0.98, 0.999}) {
            long m = FixedSequence.minimumAccepted(t, 0.05);
            assertTrue(Math.pow(t, m) <= 0.05 && Math.pow(t, m - 1) > 0.05, "t=" + t);
        }
    }

    @Test
    void walksToTheLastRejectionAndStopsAtTheFirstFailure() {
        // agreement: 1.0, 0.98, 0.97, 0.90 (fails), 0.99 (would pass, never reached).
        double[] t = {0.9, 0.8, 0.7, 0.6, 0.5};
        long[] acc = {200, 400, 600, 800, 5000};
        long[] agr = {200, 392, 582, 720, 4900};
        ThresholdCounts c = new ThresholdCounts(t, acc, agr, 6000, 0);
        Certification r = FixedSequence.run(c, 0, 0.95, 0.05);
        Certification.Certified cert = assertInstanceOf(Certification.Certified.class, r);
        assertEquals(2, cert.thresholdIndex());
        assertEquals(0.7, cert.threshold());
        assertEquals(600, cert.accepted());
        assertEquals(582, cert.agreeing());
        assertEquals(0.1, cert.coverage());
        assertEquals(0.97, cert.empiricalAgreement(), 1e-15);
        assertEquals(BinomialTail.pValue(582, 600, 0.95), cert.pValue());
        assertTrue(cert.lowerBound() >= 0.95 && cert.lowerBound() < 0.97);
        assertTrue(r.isCertified());
        assertEquals(0.1, r.certifiedCoverage());
    }

    @Test
    void belowTargetWhenTheStartFails() {
        ThresholdCounts c = new ThresholdCounts(new double[] {0.9, 0.5}, new long[] {500, 1000},
                new long[] {470, 970}, 1000, 0);
        Certification r = FixedSequence.run(c, 0, 0.95, 0.05);
        Certification.BelowTarget b = assertInstanceOf(Certification.BelowTarget.class, r);
        assertEquals(0, b.thresholdIndex());
        assertEquals(470, b.agreeing());
        assertTrue(b.pValue() > 0.05);
        assertFalse(r.isCertified());
        assertEquals(0.0, r.certifiedCoverage());
        // Starting at the second threshold certifies it.
        assertInstanceOf(Certification.Certified.class, FixedSequence.run(c, 1, 0.95, 0.05));
    }

    @Test
    void tinyOrEmptyDataRefusesToCertify() {
        // 100 of 100 agree but 0.98 needs 149 rows.
        Certification r = FixedSequence.run(ThresholdCounts.single(0.5, 100, 100, 1000), 0, 0.98, 0.05);
        Certification.InsufficientData d = assertInstanceOf(Certification.InsufficientData.class, r);
        assertEquals(149, d.minimumAccepted());
        assertEquals(100, d.accepted());
        Certification none = FixedSequence.run(ThresholdCounts.single(0.5, 0, 0, 0), 0, 0.9, 0.05);
        assertInstanceOf(Certification.InsufficientData.class, none);
        Certification empty = FixedSequence.run(
                new ThresholdCounts(new double[0], new long[0], new long[0], 10, 0), 0, 0.9, 0.05);
        assertEquals(-1, assertInstanceOf(Certification.InsufficientData.class, empty).thresholdIndex());
    }

    @Test
    void globalIsASequenceOfOne() {
        Certification r = FixedSequence.run(ThresholdCounts.single(0.0, 2000, 1900, 2000), 0, 0.93, 0.05);
        Certification.Certified c = assertInstanceOf(Certification.Certified.class, r);
        assertEquals(1.0, c.coverage());
    }

    @Test
    void unionBoundSplitsDelta() {
        assertEquals(0.01, UnionBound.perCandidateDelta(0.05, 5), 1e-18);
        // 930 of 1000 at 0.9: p ~ 0.0007 passes at 0.05/2; 915 of 1000: p ~ 0.06 fails even at 0.05.
        ThresholdCounts a = ThresholdCounts.single(0.5, 1000, 930, 1000);
        ThresholdCounts b = ThresholdCounts.single(0.5, 1000, 915, 1000);
        java.util.List<Certification> r = UnionBound.certifyAll(java.util.List.of(a, b), new int[] {0, 0}, 0.9, 0.05);
        assertEquals(0.025, r.get(0).delta(), 1e-18);
        assertTrue(r.get(0).isCertified());
        assertFalse(r.get(1).isCertified());
    }
}
