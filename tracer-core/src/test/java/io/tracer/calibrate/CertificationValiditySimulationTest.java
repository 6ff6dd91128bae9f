package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key test of the guarantee: on a known population, the full procedure (grid and start from
 * an independent selection draw, fixed-sequence test on the calibration draw) deploys a threshold
 * whose TRUE agreement is below target in at most delta of the draws, up to Monte Carlo error.
 * The same harness must catch a broken rule, or passing it would prove nothing.
 *
 * <p>Population: score U ~ Uniform(0, 1), agree ~ Bernoulli(p(U)). The true agreement among rows
 * with score >= t is the mean of p over [t, 1], known in closed form.
 */
class CertificationValiditySimulationTest {
    private static final int DRAWS = 2000;
    private static final int N_SEL = 500;
    private static final int N_CAL = 500;
    private static final int GRID = 100;
    private static final double DELTA = 0.05;
    private static final double MARGIN = 3 * Math.sqrt(DELTA * (1 - DELTA) / DRAWS);

    /** p(u) = 0.7 + 0.3 u: agreement rises with the score; all traffic agrees 0.85. */
    private static final Population RISING = new Population(
            u -> 0.7 + 0.3 * u,
            t -> 0.7 + 0.15 * (1 + t));

    /**
     * p(u) = 0.75 + 0.25 u + 0.03 sin(15 u): not monotone, so validity cannot lean on a monotone
     * gate; all traffic agrees 0.879.
     */
    private static final Population WAVY = new Population(
            u -> 0.75 + 0.25 * u + 0.03 * Math.sin(15 * u),
            t -> t >= 1 ? 1.0 + 0.03 * Math.sin(15.0)
                    : 0.75 + 0.125 * (1 + t) + 0.03 * (Math.cos(15 * t) - Math.cos(15.0)) / (15 * (1 - t)));

    /**
     * p(u) = 0.88 below 0.5, 1 above: overwhelming evidence at strict thresholds invites the walk
     * deep toward the cliff, where the true agreement among accepted rows crosses 0.95 at t = 1/7.
     */
    private static final Population CLIFF = new Population(
            u -> u < 0.5 ? 0.88 : 1.0,
            t -> t >= 0.5 ? 1.0 : (0.88 * (0.5 - t) + 0.5) / (1 - t));

    record Population(DoubleUnaryOperator agreeProbability, DoubleUnaryOperator trueAgreementAbove) {}

    record Outcome(double violationRate, double certifiedRate, double meanCoverage) {}

    interface Rule {
        /** Deployed threshold, or NaN when nothing is deployed. */
        double deploy(double[] selScores, boolean[] selAgree, double[] calScores, boolean[] calAgree, double target);
    }

    /** The product's procedure, exactly as the pipeline runs it. */
    static final Rule PROCEDURE = (selS, selA, calS, calA, target) -> {
        double[] grid = QuantileGrid.fromScores(selS, GRID);
        ThresholdCounts sel = ThresholdCounts.count(grid, selS, selA);
        StartPoint start = StartPoint.choose(sel, calS.length, target);
        Certification c = FixedSequence.run(ThresholdCounts.count(grid, calS, calA), start.index(), target, DELTA);
        return c instanceof Certification.Certified cert ? cert.threshold() : Double.NaN;
    };

    /** Deliberately broken: the most lenient threshold whose calibration point estimate reaches target. */
    static final Rule POINT_ESTIMATE = (selS, selA, calS, calA, target) -> {
        double[] grid = QuantileGrid.fromScores(selS, GRID);
        ThresholdCounts cal = ThresholdCounts.count(grid, calS, calA);
        double deployed = Double.NaN;
        for (int i = 0; i < cal.size(); i++) {
            if (cal.accepted(i) > 0 && cal.agreement(i) >= target) {
                deployed = cal.threshold(i);
            }
        }
        return deployed;
    };

    static Outcome simulate(Population pop, Rule rule, double target, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int violations = 0;
        int certified = 0;
        double coverage = 0;
        double[] selS = new double[N_SEL];
        boolean[] selA = new boolean[N_SEL];
        double[] calS = new double[N_CAL];
        boolean[] calA = new boolean[N_CAL];
        for (int d = 0; d < DRAWS; d++) {
            draw(pop, rng, selS, selA);
            draw(pop, rng, calS, calA);
            double t = rule.deploy(selS, selA, calS, calA, target);
            if (Double.isNaN(t)) {
                continue;
            }
            certified++;
            coverage += 1 - Math.max(0, t);
            if (pop.trueAgreementAbove().applyAsDouble(Math.max(0, t)) < target) {
                violations++;
            }
        }
        return new Outcome((double) violations / DRAWS, (double) certified / DRAWS, coverage / DRAWS);
    }

    private static void draw(Population pop, SplittableRandom rng, double[] s, boolean[] a) {
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextDouble();
            a[i] = rng.nextDouble() < pop.agreeProbability().applyAsDouble(s[i]);
        }
    }

    @Test
    void procedureViolatesAtMostDelta() {
        check(RISING, 0.90, 11L);
        check(WAVY, 0.90, 12L);
        check(CLIFF, 0.95, 13L);
    }

    private static void check(Population pop, double target, long seed) {
        Outcome ok = simulate(pop, PROCEDURE, target, seed);
        Outcome broken = simulate(pop, POINT_ESTIMATE, target, seed);
        System.out.printf("target %.2f: procedure violation %.4f (certified %.3f, mean coverage %.3f); "
                        + "point-estimate rule violation %.4f; bound %.4f%n", target, ok.violationRate(),
                ok.certifiedRate(), ok.meanCoverage(), broken.violationRate(), DELTA + MARGIN);
        assertTrue(ok.violationRate() <= DELTA + MARGIN,
                "procedure violated the target in " + ok.violationRate() + " of draws");
        // Not vacuous: the procedure does certify traffic most of the time.
        assertTrue(ok.certifiedRate() > 0.5, "procedure certified only " + ok.certifiedRate());
        // The harness can see a violation: the broken rule fails far more than delta.
        assertTrue(broken.violationRate() > 4 * DELTA,
                "the broken rule violated in only " + broken.violationRate() + " of draws");
    }

    /**
     * The split is stratified by teacher label, not i.i.d.: each split holds each label's share of
     * the rows exactly. Two labels that differ sharply (label A, 40% of traffic, scores skewed high
     * and always 0.99 agreement; label B, 60%, uniform scores and agreement 0.75 + 0.25 u): drawn
     * stratified, the label mix of the accepted rows varies less than the binomial test allows for,
     * so the test is conservative. The violation rate must stay within delta and not exceed the
     * i.i.d. draws' rate beyond Monte Carlo error.
     */
    @Test
    void aSplitStratifiedByLabelIsNoWorseThanIid() {
        double target = 0.94;
        StratifiedOutcome iid = simulateLabels(false, target, 31L);
        StratifiedOutcome strat = simulateLabels(true, target, 31L);
        double diffMargin = 3 * Math.sqrt(2 * DELTA * (1 - DELTA) / DRAWS);
        System.out.printf("two labels, target %.2f: violation i.i.d. %.4f (certified %.3f), stratified %.4f "
                        + "(certified %.3f); bound %.4f%n", target, iid.violationRate(), iid.certifiedRate(),
                strat.violationRate(), strat.certifiedRate(), DELTA + MARGIN);
        assertTrue(strat.violationRate() <= DELTA + MARGIN, "stratified: " + strat);
        assertTrue(iid.violationRate() <= DELTA + MARGIN, "i.i.d.: " + iid);
        assertTrue(strat.violationRate() <= iid.violationRate() + diffMargin, strat + " vs " + iid);
        assertTrue(strat.certifiedRate() > 0.5 && iid.certifiedRate() > 0.5, strat + " / " + iid);
    }

    record StratifiedOutcome(double violationRate, double certifiedRate) {}

    private static final double SHARE_A = 0.4;

    /** True agreement of rows with score >= t under the two-label population. */
    static double twoLabelTrueAbove(double t0) {
        double t = Math.max(0, Math.min(1, t0));
        double a = SHARE_A * (1 - t * t);
        double b = (1 - SHARE_A) * (1 - t);
        double agreeA = a * 0.99;
        double agreeB = (1 - SHARE_A) * (0.75 * (1 - t) + 0.125 * (1 - t * t));
        return (a + b) == 0 ? 1.0 : (agreeA + agreeB) / (a + b);
    }

    static StratifiedOutcome simulateLabels(boolean stratified, double target, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int violations = 0;
        int certified = 0;
        double[] selS = new double[N_SEL];
        boolean[] selA = new boolean[N_SEL];
        double[] calS = new double[N_CAL];
        boolean[] calA = new boolean[N_CAL];
        for (int d = 0; d < DRAWS; d++) {
            drawLabels(rng, stratified, selS, selA);
            drawLabels(rng, stratified, calS, calA);
            double t = PROCEDURE.deploy(selS, selA, calS, calA, target);
            if (Double.isNaN(t)) {
                continue;
            }
            certified++;
            if (twoLabelTrueAbove(t) < target) {
                violations++;
            }
        }
        return new StratifiedOutcome((double) violations / DRAWS, (double) certified / DRAWS);
    }

    /** Stratified: exactly round(share * n) rows of label A; i.i.d.: each row's label drawn. */
    private static void drawLabels(SplittableRandom rng, boolean stratified, double[] s, boolean[] a) {
        long countA = Math.round(SHARE_A * s.length);
        for (int i = 0; i < s.length; i++) {
            boolean labelA = stratified ? i < countA : rng.nextDouble() < SHARE_A;
            double v = rng.nextDouble();
            if (labelA) {
                s[i] = Math.sqrt(v);
                a[i] = rng.nextDouble() < 0.99;
            } else {
                s[i] = v;
                a[i] = rng.nextDouble() < 0.75 + 0.25 * v;
            }
        }
    }
}
