package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** One target's pre-registered sequence over several candidates, and the frontier rule. */
class CertificationSequenceTest {
    static final double DELTA = 0.05;

    /** c0: 1,000 calibration rows, thresholds accepting 200, 400, 600. */
    static ThresholdCounts c0(long... agreeing) {
        return new ThresholdCounts(new double[] {0.9, 0.7, 0.5}, new long[] {200, 400, 600}, agreeing, 1000, 0);
    }

    /** c1: the same rows, a gate accepting 300 and 700. */
    static ThresholdCounts c1(long... agreeing) {
        return new ThresholdCounts(new double[] {0.8, 0.6}, new long[] {300, 700}, agreeing, 1000, 0);
    }

    static CertificationPlan.TargetPlan plan(double target, CertificationPlan.Step... steps) {
        return new CertificationPlan.TargetPlan(target, 0, Arrays.asList(null, null), List.of(steps));
    }

    static CertificationPlan.Step step(int candidate, int index, CertificationPlan.Role role) {
        return new CertificationPlan.Step(candidate, index, role);
    }

    static final CertificationPlan.Role FALLBACK = CertificationPlan.Role.FALLBACK;
    static final CertificationPlan.Role SELECTED = CertificationPlan.Role.SELECTED;

    @Test
    void walksAcrossCandidatesAndDeploysTheRejectedStepWithTheMostCoverage() {
        CertificationPlan.TargetPlan p = plan(0.95, step(1, 0, FALLBACK), step(0, 0, SELECTED), step(0, 1, SELECTED),
                step(0, 2, SELECTED));
        // c0's third threshold fails (560 of 600); the rest pass
        CertificationSequence.Result r = CertificationSequence.run(p, List.of(c0(200, 398, 560), c1(299, 690)), DELTA);
        assertEquals(4, r.tested().size());
        assertEquals(3, r.rejected());
        assertFalse(r.tested().get(3).rejected());
        Certification.Certified c = assertInstanceOf(Certification.Certified.class, r.certification());
        assertEquals(2, r.deployedStep(), "400 rows beat the fallback's 300 and the first threshold's 200");
        assertEquals(0, r.deployedCandidate());
        assertEquals(SELECTED, r.deployedRole());
        assertEquals(0.7, c.threshold());
        assertEquals(0, c.startIndex(), "c0's first step in the sequence");
        assertEquals(BinomialTail.pValue(398, 400, 0.95), c.pValue());
        assertTrue(c.lowerBound() >= 0.95);
    }

    @Test
    void theFallbackIsDeployedWhenTheSelectedCandidateFailsAtOnce() {
        CertificationPlan.TargetPlan p = plan(0.95, step(1, 1, FALLBACK), step(0, 0, SELECTED), step(0, 1, SELECTED));
        CertificationSequence.Result r = CertificationSequence.run(p, List.of(c0(180, 398, 580), c1(299, 690)), DELTA);
        assertEquals(2, r.tested().size(), "stops at the selected candidate's first failure");
        assertEquals(1, r.deployedCandidate());
        assertEquals(FALLBACK, r.deployedRole());
        assertEquals(0.7, r.certification().certifiedCoverage());
    }

    @Test
    void stopsAtTheFirstFailureEvenWhenALaterStepWouldPass() {
        CertificationPlan.TargetPlan p = plan(0.95, step(0, 0, SELECTED), step(0, 1, SELECTED), step(1, 1, FALLBACK));
        CertificationSequence.Result r = CertificationSequence.run(p, List.of(c0(200, 370, 590), c1(300, 700)), DELTA);
        assertEquals(2, r.tested().size());
        assertEquals(0.2, r.certification().certifiedCoverage(), "only the first step was rejected");
    }

    @Test
    void aTieInCoverageGoesToTheLaterStep() {
        ThresholdCounts flat = new ThresholdCounts(new double[] {0.9, 0.8, 0.7}, new long[] {300, 300, 300},
                new long[] {300, 300, 300}, 1000, 0);
        CertificationPlan.TargetPlan p = plan(0.95, step(0, 0, SELECTED), step(0, 1, SELECTED), step(0, 2, SELECTED));
        CertificationSequence.Result r = CertificationSequence.run(p, List.of(flat, c1(300, 700)), DELTA);
        assertEquals(0.7, ((Certification.Certified) r.certification()).threshold(), "the most lenient, as FixedSequence");
        assertEquals(FixedSequence.run(flat, 0, 0.95, DELTA), r.certification());
    }

    @Test
    void nothingCertifiedSaysWhy() {
        List<ThresholdCounts> cal = List.of(c0(200, 398, 580), c1(299, 690));
        Certification empty = CertificationSequence.run(plan(0.95), cal, DELTA).certification();
        assertInstanceOf(Certification.InsufficientData.class, empty);
        Certification below = CertificationSequence.run(plan(0.95, step(0, 2, SELECTED)),
                List.of(c0(200, 398, 540), c1(299, 690)), DELTA).certification();
        Certification.BelowTarget b = assertInstanceOf(Certification.BelowTarget.class, below);
        assertEquals(540, b.agreeing());
        ThresholdCounts tiny = new ThresholdCounts(new double[] {0.9}, new long[] {40}, new long[] {40}, 1000, 0);
        Certification few = CertificationSequence.run(plan(0.95, step(0, 0, SELECTED)), List.of(tiny, tiny), DELTA)
                .certification();
        assertEquals(59, assertInstanceOf(Certification.InsufficientData.class, few).minimumAccepted());
    }

    /** The frontier rule: once a target deploys nothing, every stricter target is withheld. */
    @Test
    void aStricterTargetIsWithheldWhenAMoreLenientOneDeploysNothing() {
        List<ThresholdCounts> cal = List.of(c0(200, 398, 580), c1(299, 690));
        List<CertificationPlan.TargetPlan> plans = new ArrayList<>();
        plans.add(plan(0.90, step(0, 2, SELECTED)));
        plans.add(plan(0.92, step(1, 1, SELECTED)));
        plans.add(plan(0.95, step(0, 0, SELECTED)));
        List<CertificationSequence.Outcome> all = CertificationSequence.runFrontier(plans, cal, DELTA, 0.0);
        assertTrue(all.stream().allMatch(CertificationSequence.Outcome::deploys));

        // the middle target's sequence fails: the strictest one, though certified, is withheld
        plans.set(1, plan(0.92, step(0, 0, SELECTED), step(1, 1, SELECTED)));
        List<ThresholdCounts> failing = List.of(c0(150, 398, 580), c1(299, 690));
        plans.set(2, plan(0.95, step(1, 0, SELECTED)));
        all = CertificationSequence.runFrontier(plans, failing, DELTA, 0.0);
        assertTrue(all.get(0).deploys());
        assertFalse(all.get(1).deploys());
        assertTrue(all.get(2).result().certification().isCertified(), "its own sequence certified");
        assertFalse(all.get(2).deploys(), "but a more lenient target deploys nothing");
        assertEquals(0.92, all.get(2).withheldBelow());

        // the minimum useful coverage counts as deploying nothing
        all = CertificationSequence.runFrontier(plans.subList(0, 1), cal, DELTA, 0.7);
        assertTrue(all.get(0).belowMinimum());
        assertFalse(all.get(0).deploys());
    }
}
