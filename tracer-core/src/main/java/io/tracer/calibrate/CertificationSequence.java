package io.tracer.calibrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one target's pre-registered sequence ({@link CertificationPlan}) on the calibration
 * split: a fixed-sequence test over hypotheses that may belong to different candidates. Walking
 * the steps in order, step i's null "agreement at this candidate's threshold is below the target"
 * is rejected while its exact binomial p-value is at most delta; the walk stops at the first
 * failure. Any rejected step may be deployed, because the fixed-sequence test bounds the chance of
 * rejecting <em>any</em> true null by delta (docs/guarantee.md); the one deployed is the rejected
 * step with the most calibration coverage, ties to the later step (within one candidate: the more
 * lenient threshold, as {@link FixedSequence#run} deploys).
 *
 * <p>{@link #runFrontier} runs every target's sequence and closes the holes: a target whose
 * sequence certified is still withheld (deploys nothing) when a more lenient target deploys
 * nothing. Withholding only removes deployments, so each target's guarantee is its sequence's.
 */
public final class CertificationSequence {
    private CertificationSequence() {}

    /**
     * One tested step: its place in the sequence and what calibration said.
     *
     * @param rejected true when {@code pValue <= delta}
     */
    public record Tested(CertificationPlan.Step step, double threshold, long accepted, long agreeing, double pValue,
                         boolean rejected) {}

    /**
     * What the sequence certified.
     *
     * @param tested        every step tested, in order; the last one failed unless every step was rejected
     * @param deployedStep  position in the plan's steps of the deployed step, -1 when nothing is certified
     * @param certification the deployed step's certificate ({@link Certification.Certified#startIndex} is the
     *                      grid index of that candidate's first step in the sequence), or why nothing is
     */
    public record Result(CertificationPlan.TargetPlan plan, List<Tested> tested, int deployedStep,
                         Certification certification) {
        public Result {
            tested = List.copyOf(tested);
        }

        /** The deployed candidate, -1 when nothing is certified. */
        public int deployedCandidate() {
            return deployedStep < 0 ? -1 : plan.steps().get(deployedStep).candidate();
        }

        /** The role of the deployed step, null when nothing is certified. */
        public CertificationPlan.Role deployedRole() {
            return deployedStep < 0 ? null : plan.steps().get(deployedStep).role();
        }

        public int rejected() {
            return (int) tested.stream().filter(Tested::rejected).count();
        }
    }

    /**
     * A target on the frontier: its sequence's result and what the frontier makes of it.
     *
     * @param belowMinimum  the sequence certified less coverage than the minimum useful coverage
     * @param withheldBelow the more lenient target that deploys nothing and so withholds this one;
     *                      NaN when not withheld
     */
    public record Outcome(Result result, boolean belowMinimum, double withheldBelow) {
        /** True when the target deploys its sequence's certificate. */
        public boolean deploys() {
            return result.certification().isCertified() && !belowMinimum && Double.isNaN(withheldBelow);
        }

        public double target() {
            return result.plan().target();
        }
    }

    /**
     * Every target's sequence (plans in ascending order of target, as {@link CertificationPlan#plan}
     * returns them), then the frontier rule: a certified coverage below {@code minCoverage} deploys
     * nothing, and once a target deploys nothing every stricter target is withheld. So no target
     * deploys nothing while a stricter one deploys something.
     */
    public static List<Outcome> runFrontier(List<CertificationPlan.TargetPlan> plans, List<ThresholdCounts> calibration,
                                            double delta, double minCoverage) {
        List<Outcome> out = new ArrayList<>(plans.size());
        double firstNothing = Double.NaN;
        double previous = Double.NEGATIVE_INFINITY;
        for (CertificationPlan.TargetPlan plan : plans) {
            if (!(plan.target() > previous)) {
                throw new IllegalArgumentException("plans must be in ascending order of target");
            }
            previous = plan.target();
            Result r = run(plan, calibration, delta);
            boolean below = r.certification() instanceof Certification.Certified c && c.coverage() < minCoverage;
            Outcome o = new Outcome(r, below, firstNothing);
            if (!o.deploys() && Double.isNaN(firstNothing)) {
                firstNothing = plan.target();
            }
            out.add(o);
        }
        return List.copyOf(out);
    }

    /**
     * @param calibration per candidate (same order as the plan's candidates), its counts on the
     *                    calibration split along its own grid
     */
    public static Result run(CertificationPlan.TargetPlan plan, List<ThresholdCounts> calibration, double delta) {
        double target = plan.target();
        FixedSequence.checkTargetDelta(target, delta);
        long minimum = FixedSequence.minimumAccepted(target, delta);
        List<CertificationPlan.Step> steps = plan.steps();
        if (steps.isEmpty()) {
            return new Result(plan, List.of(), -1, new Certification.InsufficientData(-1, 0,
                    calibration.isEmpty() ? 0 : calibration.get(0).n(), minimum,
                    "no candidate is predicted to certify at this target or any stricter one", target, delta));
        }
        CertificationPlan.Step first = steps.get(0);
        ThresholdCounts firstCounts = calibration.get(first.candidate());
        if (firstCounts.n() == 0) {
            return new Result(plan, List.of(), -1, new Certification.InsufficientData(-1, 0, 0, minimum,
                    "no calibration rows", target, delta));
        }
        if (firstCounts.accepted(first.index()) < minimum) {
            return new Result(plan, List.of(), -1, new Certification.InsufficientData(first.index(),
                    firstCounts.accepted(first.index()), firstCounts.n(), minimum,
                    "the sequence's first threshold accepts " + firstCounts.accepted(first.index())
                            + " calibration rows; even with perfect agreement " + minimum + " are needed to reach p <= "
                            + delta + " at target " + target, target, delta));
        }
        List<Tested> tested = new ArrayList<>();
        int deployed = -1;
        for (int i = 0; i < steps.size(); i++) {
            CertificationPlan.Step s = steps.get(i);
            ThresholdCounts c = calibration.get(s.candidate());
            long acc = c.accepted(s.index());
            long agr = c.agreeing(s.index());
            double p = BinomialTail.pValue(agr, acc, target);
            boolean rejected = p <= delta;
            tested.add(new Tested(s, c.threshold(s.index()), acc, agr, p, rejected));
            if (!rejected) {
                break;
            }
            if (deployed < 0 || c.coverage(s.index()) >= calibration.get(steps.get(deployed).candidate())
                    .coverage(steps.get(deployed).index())) {
                deployed = i;
            }
        }
        if (deployed < 0) {
            Tested t = tested.get(0);
            return new Result(plan, tested, -1, new Certification.BelowTarget(first.index(), t.threshold(),
                    t.accepted(), t.agreeing(), firstCounts.n(), t.pValue(), target, delta));
        }
        CertificationPlan.Step d = steps.get(deployed);
        ThresholdCounts c = calibration.get(d.candidate());
        int startIndex = d.index();
        for (CertificationPlan.Step s : steps) {
            if (s.candidate() == d.candidate()) {
                startIndex = s.index();
                break;
            }
        }
        long acc = c.accepted(d.index());
        long agr = c.agreeing(d.index());
        Certification.Certified cert = new Certification.Certified(startIndex, d.index(), c.threshold(d.index()), acc,
                agr, c.n(), c.coverage(d.index()), (double) agr / acc, ClopperPearson.lowerBound(agr, acc, delta),
                tested.get(deployed).pValue(), target, delta);
        return new Result(plan, tested, deployed, cert);
    }
}
