package io.tracer.audit;

import java.util.List;

/**
 * What an audit found, overall and per answered label.
 *
 * @param alpha     the level the overall violation test was run at
 * @param unchecked handled rows without a check (outside the shadow sample or without a teacher label)
 */
public record AuditReport(String runId, String policyVersion, double target, double delta, double alpha,
                          Line overall, List<Line> labels, long unchecked, java.util.Map<String, Long> unseenLabels) {

    public AuditReport {
        unseenLabels = java.util.Map.copyOf(unseenLabels);
    }

    /** A report without teacher labels outside the policy's label space. */
    public AuditReport(String runId, String policyVersion, double target, double delta, double alpha,
                       Line overall, List<Line> labels, long unchecked) {
        this(runId, policyVersion, target, delta, alpha, overall, labels, unchecked, java.util.Map.of());
    }

    /**
     * @param label null for the overall line
     * @param violated for a label line, Bonferroni-corrected over labels with checked rows
     */
    public record Line(String label, long rows, long handled, AgreementCheck test, boolean violated) {
        public double handledShare() {
            return rows == 0 ? 0 : (double) handled / rows;
        }
    }

    /** True when agreement on handled rows is significantly below the target overall. */
    public boolean violated() {
        return overall.violated();
    }

    /** A few lines for people. */
    public String render() {
        AgreementCheck t = overall.test();
        StringBuilder out = new StringBuilder();
        out.append(String.format("audit %s of policy %s (target %.3f, alpha %.3f)%n", runId, policyVersion, target, alpha));
        out.append(String.format("  rows %d, handled %d (%.2f%%), checked %d, unchecked handled %d%n",
                overall.rows(), overall.handled(), 100 * overall.handledShare(), t.checked(), unchecked));
        if (t.checked() > 0) {
            out.append(String.format("  agreement %.4f [%.4f, %.4f], p-value %.3g: %s%n", t.agreement(), t.ciLower(),
                    t.ciUpper(), t.pValue(), violated() ? "VIOLATED (significantly below target)" : "no significant violation"));
        } else {
            out.append("  no handled row was checked: nothing to test\n");
        }
        if (!unseenLabels.isEmpty()) {
            out.append(String.format("  teacher labels the policy never saw (it cannot answer them; their handled "
                    + "rows count as disagreeing): %s%n", new java.util.TreeMap<>(unseenLabels)));
        }
        for (Line l : labels) {
            if (l.violated()) {
                out.append(String.format("  label %s: agreement %.4f on %d checked rows, p-value %.3g (Bonferroni) below target%n",
                        l.label(), l.test().agreement(), l.test().checked(), l.test().pValue()));
            }
        }
        return out.toString();
    }
}
