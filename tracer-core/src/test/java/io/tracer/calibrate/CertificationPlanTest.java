package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The pre-registered sequences, from selection counts and the calibration size alone. */
class CertificationPlanTest {
    static final double DELTA = 0.05;
    static final CertificationPlan.Role LEAD = CertificationPlan.Role.LEAD;
    static final CertificationPlan.Role FALLBACK = CertificationPlan.Role.FALLBACK;
    static final CertificationPlan.Role SELECTED = CertificationPlan.Role.SELECTED;

    /** Global: every row scores 1; {@code agreeing} of 1,000 selection rows agree. */
    static CertificationPlan.Candidate global(long agreeing) {
        return new CertificationPlan.Candidate(ThresholdCounts.single(1.0, 1000, agreeing, 1000), 1000, t -> true, 0);
    }

    /** A gate over 1,000 selection rows: thresholds accepting 100, 200, ..., 1000 rows. */
    static CertificationPlan.Candidate gate(int tieRank, long... agreeing) {
        double[] t = new double[10];
        long[] acc = new long[10];
        for (int i = 0; i < 10; i++) {
            t[i] = 0.95 - 0.1 * i;
            acc[i] = 100L * (i + 1);
        }
        return new CertificationPlan.Candidate(new ThresholdCounts(t, acc, agreeing, 1000, 0), 1000, x -> true, tieRank);
    }

    /** A sharp gate: near-perfect at strict thresholds, 0.90 overall. */
    static CertificationPlan.Candidate sharp() {
        return gate(1, 100, 200, 299, 398, 496, 592, 686, 776, 852, 900);
    }

    static List<CertificationPlan.Role> roles(CertificationPlan.TargetPlan p) {
        return p.steps().stream().map(CertificationPlan.Step::role).distinct().toList();
    }

    @Test
    void eachTargetSelectsTheMostPredictedCoverageTiesToTheSimplerFamily() {
        CertificationPlan.Candidate g = global(970);
        CertificationPlan.Candidate twin = new CertificationPlan.Candidate(g.selection(), 1000, t -> true, 1);
        List<CertificationPlan.TargetPlan> plans = CertificationPlan.plan(List.of(twin, g, sharp()),
                List.of(0.95, 0.85), DELTA);
        assertEquals(0.85, plans.get(0).target(), "ascending");
        assertEquals(1, plans.get(0).selected(), "global and its twin both predict 100%; the lower tie rank wins");
        assertEquals(1.0, plans.get(0).predictedCoverage());
        CertificationPlan.TargetPlan strict = plans.get(1);
        assertEquals(1, strict.selected(), "0.97 of all traffic passes at 0.95");
    }

    @Test
    void theStrongestStartLeadsWhenTheSelectedOneIsWeaker() {
        // global agrees 0.925: selected at 0.90 (100% predicted), but its test is marginal; the sharp
        // gate's strict start is far stronger and goes first
        List<CertificationPlan.TargetPlan> plans = CertificationPlan.plan(List.of(global(925), sharp()),
                List.of(0.90, 0.92), DELTA);
        CertificationPlan.TargetPlan p90 = plans.get(0);
        assertEquals(0, p90.selected());
        assertEquals(LEAD, p90.steps().get(0).role());
        assertEquals(1, p90.steps().get(0).candidate());
        assertEquals(SELECTED, p90.steps().get(p90.steps().size() - 1).role());
        assertEquals(0, p90.steps().get(p90.steps().size() - 1).candidate());
        // the 0.92 target's predicted deployment is the fallback, tested before the marginal global
        assertEquals(List.of(LEAD, FALLBACK, SELECTED), roles(p90));
        CertificationPlan.Step fallback = p90.steps().get(1);
        Certification.Certified predicted92 = (Certification.Certified) plans.get(1).predictions()
                .get(plans.get(1).selected()).certification();
        assertEquals(plans.get(1).selected(), fallback.candidate());
        assertEquals(predicted92.thresholdIndex(), fallback.index());
    }

    @Test
    void aStrongSelectedStartGoesFirstAndNeedsNoFallback() {
        List<CertificationPlan.TargetPlan> plans = CertificationPlan.plan(List.of(sharp()), List.of(0.90, 0.95),
                DELTA);
        CertificationPlan.TargetPlan p90 = plans.get(0);
        assertEquals(SELECTED, p90.steps().get(0).role());
        assertEquals(p90.predictions().get(0).start().index(), p90.steps().get(0).index());
        // every step is the selected candidate's, from its start toward lenient
        for (int i = 0; i < p90.steps().size(); i++) {
            assertEquals(p90.steps().get(0).index() + i, p90.steps().get(i).index());
        }
        assertFalse(roles(p90).contains(FALLBACK), "the fallback is no safer than the selected start: " + p90.steps());
    }

    @Test
    void aTargetWithoutItsOwnChoiceTestsTheStricterTargetsPredictedDeployment() {
        // an RSB-like candidate built for 0.95 only; nothing serves 0.90 by itself
        CertificationPlan.Candidate only95 = new CertificationPlan.Candidate(sharp().selection(), 1000,
                t -> t == 0.95, 2);
        List<CertificationPlan.TargetPlan> plans = CertificationPlan.plan(List.of(only95), List.of(0.90, 0.95, 0.99),
                DELTA);
        assertEquals(-1, plans.get(0).selected());
        assertEquals(List.of(FALLBACK), roles(plans.get(0)));
        assertEquals(1, plans.get(0).steps().size());
        assertTrue(plans.get(2).steps().isEmpty(), "nothing at or above 0.99 is predicted to certify");
        assertEquals(0.0, plans.get(2).predictedCoverage());
    }

    @Test
    void passProbabilityIsThePlugInPowerOfTheTest() {
        CertificationPlan.Candidate g = global(950);
        // 950 of 1000 at target 0.90: certain to pass; at 0.95 a coin flip; at 0.97 hopeless
        assertTrue(CertificationPlan.passProbability(g, 0, 0.90, DELTA) > 0.999);
        double coin = CertificationPlan.passProbability(g, 0, 0.95, DELTA);
        assertTrue(coin > 0.02 && coin < 0.2, "the critical count is about 1.6 sd above 950: " + coin);
        assertTrue(CertificationPlan.passProbability(g, 0, 0.97, DELTA) < 1e-3);
        CertificationPlan.Candidate small = new CertificationPlan.Candidate(ThresholdCounts.single(1.0, 40, 40, 40),
                40, t -> true, 0);
        assertEquals(0.0, CertificationPlan.passProbability(small, 0, 0.95, DELTA), "40 rows can never pass at 0.95");
    }
}
