package io.tracer.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * The pre-registered test sequence of every target, fixed on the selection split before the
 * calibration split is read (docs/guarantee.md, "No holes in the frontier").
 *
 * <p>Per target, the <em>selected</em> candidate is the one whose selection counts, scaled to the
 * calibration size, predict the most certified coverage ({@link StartPoint#predict}); ties go to
 * the lower {@code tieRank} (the simpler family), then to the earlier candidate. Its steps are its
 * thresholds from the predicted start toward lenient, as the single-candidate procedure walks them.
 *
 * <p>In front of them a target's sequence may carry a <b>fallback</b>: the threshold the nearest
 * stricter target with a selected candidate is predicted to deploy. It carries that target's
 * coverage down to this one when this target's own choice fails on calibration (as global does
 * when the whole traffic agrees just above the target). A target with no selected candidate of its
 * own always tests the fallback; otherwise the fallback goes first only when the selection split
 * predicts it at least as likely to pass here as the selected candidate's start, and likely
 * (plug-in pass probability at least 1 - delta), so that it rarely stops the sequence before the
 * selected candidate is tested. A target with no selected candidate at or above it has an empty
 * sequence.
 *
 * <p>Holes are then closed by {@link CertificationSequence#runFrontier}: a target never deploys
 * when a more lenient one deploys nothing.
 *
 * <p>Everything here reads selection counts and the calibration split's size only.
 * {@link CertificationSequence} runs a plan on calibration counts.
 */
public final class CertificationPlan {
    private CertificationPlan() {}

    /**
     * A candidate policy as the planner sees it.
     *
     * @param selection       its threshold grid with selection counts
     * @param calibrationRows the calibration split's size (rows, not labels)
     * @param serves          the targets it may be selected for (an RSB cascade is built for one
     *                        target; as a fallback it may serve any)
     * @param tieRank         lower wins a tie in predicted coverage (the family's simplicity)
     */
    public record Candidate(ThresholdCounts selection, long calibrationRows, DoublePredicate serves, int tieRank) {}

    /** Why a step is in a sequence. */
    public enum Role {
        LEAD, FALLBACK, SELECTED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One hypothesis of a sequence: "agreement at candidate's threshold {@code index} is below the target". */
    public record Step(int candidate, int index, Role role) {}

    /**
     * One target's sequence.
     *
     * @param selected    the selected candidate, -1 when none serving this target is predicted to certify
     * @param predictions per candidate, the prediction at this target; null for candidates not serving it
     * @param steps       the pre-registered sequence, tested in order; empty when no target at or
     *                    above this one has a selected candidate
     */
    public record TargetPlan(double target, int selected, List<StartPoint.Prediction> predictions, List<Step> steps) {
        public TargetPlan {
            predictions = java.util.Collections.unmodifiableList(new ArrayList<>(predictions));
            steps = List.copyOf(steps);
        }

        /** The predicted coverage of the selected candidate; 0 when there is none. */
        public double predictedCoverage() {
            return selected < 0 ? 0.0 : predictions.get(selected).coverage();
        }
    }

    /**
     * The plans of {@code targets} (any order; each is planned against the stricter ones).
     *
     * @throws IllegalArgumentException on a repeated target
     */
    public static List<TargetPlan> plan(List<Candidate> candidates, List<Double> targets, double delta) {
        double[] sorted = targets.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("target " + sorted[i] + " given twice");
            }
        }
        int m = sorted.length;
        int[] selected = new int[m];
        List<List<StartPoint.Prediction>> predictions = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            List<StartPoint.Prediction> p = new ArrayList<>();
            int best = -1;
            double bestCoverage = 0.0;
            for (int c = 0; c < candidates.size(); c++) {
                Candidate cand = candidates.get(c);
                if (!cand.serves().test(sorted[j]) || cand.selection().size() == 0) {
                    p.add(null);
                    continue;
                }
                StartPoint.Prediction pred = StartPoint.predict(cand.selection(), cand.calibrationRows(), sorted[j], delta);
                p.add(pred);
                double cov = pred.coverage();
                if (cov <= 0) {
                    continue;
                }
                if (best < 0 || cov > bestCoverage + 1e-12
                        || (Math.abs(cov - bestCoverage) <= 1e-12 && cand.tieRank() < candidates.get(best).tieRank())) {
                    best = c;
                    bestCoverage = cov;
                }
            }
            selected[j] = best;
            predictions.add(p);
        }
        List<TargetPlan> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            List<Step> steps = new ArrayList<>();
            List<Step> own = selected[j] < 0 ? List.of()
                    : ownSteps(selected[j], predictions.get(j).get(selected[j]), candidates);
            if (selected[j] >= 0) {
                // The lead: the start with the smallest predicted p-value among the serving candidates.
                int lead = selected[j];
                for (int c = 0; c < candidates.size(); c++) {
                    StartPoint.Prediction p = predictions.get(j).get(c);
                    if (p != null && p.start().logPValue() < predictions.get(j).get(lead).start().logPValue()) {
                        lead = c;
                    }
                }
                if (lead == selected[j]) {
                    steps.add(own.get(0));
                    own = own.subList(1, own.size());
                } else {
                    steps.add(new Step(lead, predictions.get(j).get(lead).start().index(), Role.LEAD));
                }
            }
            int next = j + 1;
            while (next < m && selected[next] < 0) {
                next++;
            }
            if (next < m && predictions.get(next).get(selected[next]).certification()
                    instanceof Certification.Certified at) {
                int fc = selected[next];
                Step fallback = new Step(fc, at.thresholdIndex(), Role.FALLBACK);
                boolean first = steps.isEmpty() || !own.isEmpty() && own.get(0).role() == Role.SELECTED
                        && steps.get(0).role() == Role.LEAD;
                if (selected[j] < 0 || first && fallbackFirst(candidates.get(fc), at.thresholdIndex(),
                        candidates.get(selected[j]), own.get(0).index(), sorted[j], delta)) {
                    steps.add(fallback);
                }
            }
            steps.addAll(own);
            out.add(new TargetPlan(sorted[j], selected[j], predictions.get(j), steps));
        }
        return List.copyOf(out);
    }

    /**
     * The plug-in chance a step passes on calibration at which it counts as safe to test before
     * others: 1 - delta.
     */
    public static double safe(double delta) {
        return 1 - delta;
    }

    /**
     * Whether the fallback goes in front of the selected candidate: when it is safe at this target
     * and at least as likely to pass as the selected candidate's start (if it were not, testing it
     * first would stop the sequence more often than it rescues it).
     */
    static boolean fallbackFirst(Candidate fallback, int fallbackIndex, Candidate own, int ownStart, double target,
                                 double delta) {
        double p = passProbability(fallback, fallbackIndex, target, delta);
        return p >= safe(delta) && p >= passProbability(own, ownStart, target, delta);
    }

    /**
     * The plug-in chance that step {@code index} of {@code c} is rejected on calibration at
     * {@code target}: {@code P(Binom(N, a) >= x)}, where N and a are the accepted count and the
     * agreement of the selection counts scaled to the calibration size, and x is the smallest
     * agreeing count with p-value at most delta. Selection split only. It ignores the selection
     * noise in a (a point chosen because selection looked good there looks safer than it is),
     * which is why the fallback must also beat the selected start on the same footing.
     */
    public static double passProbability(Candidate c, int index, double target, double delta) {
        ThresholdCounts scaled = c.selection().scaledTo(c.calibrationRows());
        long n = scaled.accepted(index);
        long agreeing = scaled.agreeing(index);
        if (n == 0 || BinomialTail.pValue(n, n, target) > delta) {
            return 0.0;
        }
        long lo = 0;
        long hi = n;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (BinomialTail.pValue(mid, n, target) <= delta) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        double a = (double) agreeing / n;
        if (a >= 1.0) {
            return 1.0;
        }
        if (a <= 0.0) {
            return lo == 0 ? 1.0 : 0.0;
        }
        return BinomialTail.pValue(lo, n, a);
    }

    private static List<Step> ownSteps(int candidate, StartPoint.Prediction prediction, List<Candidate> candidates) {
        int size = candidates.get(candidate).selection().size();
        List<Step> steps = new ArrayList<>(size - prediction.start().index());
        for (int i = prediction.start().index(); i < size; i++) {
            steps.add(new Step(candidate, i, Role.SELECTED));
        }
        return steps;
    }

    /** For logs: the roles of a sequence, run-length encoded (e.g. "fallback, selected x 41"). */
    public static String describe(List<Step> steps) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            int k = i;
            while (k < steps.size() && steps.get(k).role() == steps.get(i).role()
                    && steps.get(k).candidate() == steps.get(i).candidate()) {
                k++;
            }
            parts.add(steps.get(i).role().id() + (k - i > 1 ? " x " + (k - i) : ""));
            i = k;
        }
        return parts.isEmpty() ? "empty" : String.join(", ", parts);
    }
}
