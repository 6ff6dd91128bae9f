package io.tracer.certify;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.CertificationPlan;
import io.tracer.calibrate.CertificationSequence;
import io.tracer.calibrate.FixedSequence;
import io.tracer.calibrate.StartPoint;
import io.tracer.pipeline.CandidateCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Certifies every target of the frontier at once (docs/guarantee.md says why this keeps the
 * guarantee and leaves no holes):
 *
 * <ol>
 *   <li>on the selection split alone, {@link CertificationPlan} chooses a candidate per target
 *       (the highest coverage the selection counts, scaled to the calibration size, predict the
 *       procedure would certify; ties to the simpler family, global, then L2D, then RSB, then the
 *       earlier candidate) and fixes each target's sequence: the strongest start as the lead, the
 *       next stricter target's predicted deployment as a fallback where it is the safer first
 *       test, then the selected candidate's thresholds from its predicted start;</li>
 *   <li>on the calibration split, {@link CertificationSequence#runFrontier} runs each target's
 *       sequence once, deploys the rejected step with the most coverage, and withholds a target
 *       when a more lenient one deploys nothing.</li>
 * </ol>
 *
 * Every candidate's own run on calibration is computed too, after the fact, for the frontier
 * table, where it is information only.
 */
public final class TargetSelector {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSelector.class);

    private final double delta;
    private final double minCoverage;

    public TargetSelector(double delta, double minCoverage) {
        this.delta = delta;
        this.minCoverage = minCoverage;
    }

    /** One target on its own: its sequence has no stricter target to take an anchor or fallback from. */
    public TargetOutcome select(double target, List<CandidateCounts> all) {
        return select(List.of(target), all).get(0);
    }

    /** Every target of the frontier, in ascending order of target. */
    public List<TargetOutcome> select(List<Double> targets, List<CandidateCounts> all) {
        List<CertificationPlan.Candidate> planned = new ArrayList<>(all.size());
        List<io.tracer.calibrate.ThresholdCounts> calibration = new ArrayList<>(all.size());
        for (CandidateCounts c : all) {
            planned.add(new CertificationPlan.Candidate(c.selection(), c.calibration().n(),
                    c.candidate()::servesTarget, c.candidate().family().ordinal()));
            calibration.add(c.calibration());
        }
        List<CertificationPlan.TargetPlan> plans = CertificationPlan.plan(planned, targets, delta);
        List<TargetOutcome> out = new ArrayList<>();
        for (CertificationSequence.Outcome o : CertificationSequence.runFrontier(plans, calibration, delta, minCoverage)) {
            out.add(outcome(o, all, calibration));
        }
        return List.copyOf(out);
    }

    private TargetOutcome outcome(CertificationSequence.Outcome frontier, List<CandidateCounts> all,
                                  List<io.tracer.calibrate.ThresholdCounts> calibration) {
        CertificationSequence.Result tested = frontier.result();
        CertificationPlan.TargetPlan plan = tested.plan();
        double target = plan.target();
        int deployedCandidate = frontier.deploys() ? tested.deployedCandidate() : -1;
        List<CandidateCertification> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            final int c = i;
            List<CertificationPlan.Role> roles = plan.steps().stream().filter(s -> s.candidate() == c)
                    .map(CertificationPlan.Step::role).distinct().toList();
            boolean serving = plan.predictions().get(i) != null;
            if (!serving && roles.isEmpty()) {
                continue;
            }
            CandidateCounts counts = all.get(i);
            StartPoint.Prediction predicted = serving ? plan.predictions().get(i)
                    : StartPoint.predict(counts.selection(), counts.calibration().n(), target, delta);
            Certification standalone = counts.calibration().size() == 0
                    ? predicted.certification()
                    : FixedSequence.run(counts.calibration(), predicted.start().index(), target, delta);
            rows.add(new CandidateCertification(counts, target, predicted, standalone, i == plan.selected(), roles,
                    i == deployedCandidate));
        }
        rows.sort(Comparator.comparing((CandidateCertification r) -> !r.deployed())
                .thenComparing(r -> !r.selected()));
        if (rows.isEmpty()) {
            return new TargetOutcome.NothingDeployed(target, delta, "no candidate pipeline was built", rows,
                    java.util.Optional.of(tested));
        }
        String selected = plan.selected() < 0 ? "none" : all.get(plan.selected()).candidate().label();
        LOG.info("target {}: selection split picks {} (predicted coverage {}); sequence: {}", target, selected,
                String.format(Locale.ROOT, "%.4f", plan.predictedCoverage()), CertificationPlan.describe(plan.steps()));
        if (!(tested.certification() instanceof Certification.Certified certified)) {
            return new TargetOutcome.NothingDeployed(target, delta, notCertified(plan, all, tested), rows,
                    java.util.Optional.of(tested));
        }
        LOG.info("target {}: {} of {} tests rejected; certifies {} at threshold {} ({}), calibration coverage {}",
                target, tested.rejected(), tested.tested().size(), all.get(tested.deployedCandidate()).candidate().label(),
                String.format(Locale.ROOT, "%.6f", certified.threshold()), tested.deployedRole().id(),
                String.format(Locale.ROOT, "%.4f", certified.coverage()));
        if (frontier.belowMinimum()) {
            return new TargetOutcome.NothingDeployed(target, delta, String.format(Locale.ROOT,
                    "certified coverage %.4f is below the minimum useful coverage %.4f",
                    certified.coverage(), minCoverage), rows, java.util.Optional.of(tested));
        }
        if (!frontier.deploys()) {
            return new TargetOutcome.NothingDeployed(target, delta, String.format(Locale.ROOT,
                    "withheld: certified on its own, but the more lenient target %.3f deploys nothing, and a "
                            + "stricter target never deploys when a more lenient one does not", frontier.withheldBelow()),
                    rows, java.util.Optional.of(tested));
        }
        return new TargetOutcome.Deployed(target, delta, rows.get(0), certified, rows, tested);
    }

    private static String notCertified(CertificationPlan.TargetPlan plan, List<CandidateCounts> all,
                                       CertificationSequence.Result tested) {
        if (plan.steps().isEmpty()) {
            return "no family is predicted to certify any coverage at this target or a stricter one on the selection split";
        }
        CertificationPlan.Step first = plan.steps().get(0);
        String what = first.role() == CertificationPlan.Role.SELECTED
                ? "the selected pipeline " + all.get(first.candidate()).candidate().label()
                : "the sequence's " + first.role().id() + " (" + all.get(first.candidate()).candidate().label() + ")";
        return what + " did not certify on calibration: " + describe(tested.certification());
    }

    static String describe(Certification c) {
        if (c instanceof Certification.BelowTarget b) {
            return String.format(Locale.ROOT, "at the first threshold %d of %d accepted rows agree (p = %.3g > delta)",
                    b.agreeing(), b.accepted(), b.pValue());
        }
        if (c instanceof Certification.InsufficientData d) {
            return d.reason();
        }
        return c.toString();
    }
}
