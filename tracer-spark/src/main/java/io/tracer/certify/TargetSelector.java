package io.tracer.certify;

import io.tracer.calibrate.Certification;
import io.tracer.calibrate.FixedSequence;
import io.tracer.calibrate.StartPoint;
import io.tracer.pipeline.CandidateCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses one candidate per target on the selection split and certifies it once on the
 * calibration split (docs/guarantee.md says why that keeps the guarantee).
 *
 * <p>The choice: the highest coverage the selection split predicts the procedure would
 * certify (selection counts scaled to the calibration size). Ties go to the simpler family
 * (global, then L2D, then RSB), then to the earlier candidate.
 */
public final class TargetSelector {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSelector.class);

    private final double delta;
    private final double minCoverage;

    public TargetSelector(double delta, double minCoverage) {
        this.delta = delta;
        this.minCoverage = minCoverage;
    }

    public TargetOutcome select(double target, List<CandidateCounts> all) {
        List<CandidateCounts> serving = all.stream().filter(c -> c.candidate().servesTarget(target)).toList();
        if (serving.isEmpty()) {
            return new TargetOutcome.NothingDeployed(target, delta, "no candidate pipeline was built", List.of());
        }
        List<StartPoint.Prediction> predictions = new ArrayList<>();
        int best = -1;
        double bestCoverage = -1;
        for (int i = 0; i < serving.size(); i++) {
            CandidateCounts c = serving.get(i);
            long calibrationRows = c.calibration().n();
            StartPoint.Prediction p = StartPoint.predict(c.selection(), calibrationRows, target, delta);
            predictions.add(p);
            double cov = p.certification().certifiedCoverage();
            if (cov > bestCoverage + 1e-12
                    || (Math.abs(cov - bestCoverage) <= 1e-12 && best >= 0
                        && c.candidate().family().ordinal() < serving.get(best).candidate().family().ordinal())) {
                best = i;
                bestCoverage = cov;
            }
        }
        List<CandidateCertification> results = new ArrayList<>();
        for (int i = 0; i < serving.size(); i++) {
            CandidateCounts c = serving.get(i);
            int start = predictions.get(i).start().index();
            Certification cert = FixedSequence.run(c.calibration(), start, target, delta);
            results.add(new CandidateCertification(c, target, predictions.get(i), cert, i == best));
        }
        CandidateCertification chosen = results.get(best);
        LOG.info("target {}: selection split picks {} (predicted coverage {})", target,
                chosen.candidate().label(), String.format("%.4f", bestCoverage));
        results.sort(Comparator.comparing((CandidateCertification r) -> !r.selected()));
        if (bestCoverage <= 0) {
            return new TargetOutcome.NothingDeployed(target, delta,
                    "no family is predicted to certify any coverage at this target on the selection split", results);
        }
        Certification cert = chosen.calibration();
        if (!(cert instanceof Certification.Certified certified)) {
            return new TargetOutcome.NothingDeployed(target, delta,
                    "the selected pipeline " + chosen.candidate().label() + " did not certify on calibration: "
                            + describe(cert), results);
        }
        if (certified.coverage() < minCoverage) {
            return new TargetOutcome.NothingDeployed(target, delta, String.format(
                    "certified coverage %.4f is below the minimum useful coverage %.4f",
                    certified.coverage(), minCoverage), results);
        }
        return new TargetOutcome.Deployed(target, delta, chosen, certified, results);
    }

    static String describe(Certification c) {
        if (c instanceof Certification.BelowTarget b) {
            return String.format("at the first threshold %d of %d accepted rows agree (p = %.3g > delta)",
                    b.agreeing(), b.accepted(), b.pValue());
        }
        if (c instanceof Certification.InsufficientData d) {
            return d.reason();
        }
        return c.toString();
    }
}
