package io.tracer.report;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.CertificationPlan;
import io.tracer.config.TracerConfig;
import io.tracer.certify.TargetOutcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The short human summary a fit ends with: the frontier, the deployed method and what is
 * certified about it (agreement at least the target), the worst-covered labels, and what it
 * saves in teacher calls. The Clopper-Pearson bound is shown as what it is: a figure for the
 * deployed threshold alone, not a certificate (that threshold was chosen from the same counts).
 */
public final class FitSummary {
    private FitSummary() {}

    /** One label's coverage on the calibration split at the deploy target. */
    public record LabelLine(String label, long rows, long handled, Double agreement) {
        double share() {
            return rows == 0 ? 0 : (double) handled / rows;
        }
    }

    public static String render(String runId, List<TargetOutcome> outcomes, TargetOutcome deployed,
                                List<LabelLine> labels, TracerConfig.Report report, String policyUri,
                                double fitSeconds) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%nrun %s: fit in %.1f s%n%n", runId, fitSeconds));
        s.append(String.format(Locale.ROOT, "%-8s %-8s %-40s %9s %9s %9s%n",
                "target", "method", "pipeline", "coverage", "agree", "CP@t"));
        for (TargetOutcome o : outcomes) {
            String pipeline = o.deployed().map(d -> d.candidate().label()).orElse("-");
            if (o.certified().isPresent()) {
                Certification.Certified c = o.certified().get();
                s.append(String.format(Locale.ROOT, "%-8.3f %-8s %-40s %8.1f%% %9.4f %9.4f%n", o.target(),
                        o.method().id(), pipeline, 100 * c.coverage(), c.empiricalAgreement(), c.lowerBound()));
            } else {
                s.append(String.format(Locale.ROOT, "%-8.3f %-8s %-40s %8.1f%% %9s %9s%n", o.target(),
                        "none", pipeline, 0.0, "-", "-"));
            }
        }
        s.append(String.format(Locale.ROOT, "(each deployed row is certified: agreement at least its target, "
                + "failing with probability at most delta = %.3f;%n CP@t is the Clopper-Pearson bound at that threshold "
                + "alone, a per-threshold figure, not a certificate)%n", deployed.delta()));
        s.append('\n');
        if (deployed.certified().isPresent()) {
            Certification.Certified c = deployed.certified().get();
            String via = deployed.sequence().map(q -> q.deployedRole()).filter(r -> r != CertificationPlan.Role.SELECTED)
                    .map(r -> " (from its sequence's " + r.id() + " step)").orElse("");
            s.append(String.format(Locale.ROOT,
                    "deployed at target %.3f: %s%s handles %.1f%% of traffic. Certified: agreement with the teacher "
                            + "at least %.3f on the traffic it handles; the chance that a fit publishes a policy below "
                            + "its target is at most delta = %.3f.%n"
                            + "On %d calibration rows it agreed on %d of %d handled (%.4f); Clopper-Pearson bound at "
                            + "this threshold %.4f (a per-threshold figure, not a certificate).%n",
                    deployed.target(), deployed.deployed().get().candidate().label(), via, 100 * c.coverage(),
                    deployed.target(), deployed.delta(), c.n(), c.agreeing(), c.accepted(), c.empiricalAgreement(),
                    c.lowerBound()));
        } else {
            s.append(String.format(Locale.ROOT, "nothing deployed at target %.3f: every query goes to the teacher "
                    + "(%s).%n", deployed.target(), deployed.reason()));
        }
        if (policyUri != null) {
            s.append("policy: ").append(policyUri).append('\n');
        }
        List<LabelLine> worst = new ArrayList<>(labels);
        worst.sort(Comparator.comparingDouble(LabelLine::share).thenComparing(LabelLine::label));
        if (!worst.isEmpty() && deployed.certified().isPresent()) {
            s.append(String.format(Locale.ROOT, "%nworst-covered labels (calibration split):%n"));
            for (LabelLine l : worst.subList(0, Math.min(report.worstLabels(), worst.size()))) {
                s.append(String.format(Locale.ROOT, "  %-32s %5d rows  %5.1f%% handled  agreement %s%n",
                        l.label(), l.rows(), 100 * l.share(),
                        l.agreement() == null ? "-" : String.format(Locale.ROOT, "%.3f", l.agreement())));
            }
        }
        double coverage = deployed.coverage();
        double callsSaved = report.dailyVolume() * coverage;
        s.append(String.format(Locale.ROOT,
                "%nprojection at %,d queries/day and %.4f per teacher call: %,.0f calls/day answered by the "
                        + "surrogate, %.2f saved per day (%.2f per 30 days).%n",
                report.dailyVolume(), report.pricePerCall(), callsSaved, callsSaved * report.pricePerCall(),
                30 * callsSaved * report.pricePerCall()));
        return s.toString();
    }
}
