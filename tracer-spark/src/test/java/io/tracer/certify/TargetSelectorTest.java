package io.tracer.certify;

import io.tracer.calibrate.ThresholdCounts;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PipelineCandidate;
import io.tracer.pipeline.PolicyStage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The certify stage's rule on hand-made counts: the candidate the selection split predicts to
 * certify most is the one whose thresholds the target's sequence walks on calibration, once; the
 * outcome is deployed or nothing; and across targets the frontier has no holes.
 */
class TargetSelectorTest {
    /** A gated candidate whose selection and calibration splits have these per-threshold counts. */
    static CandidateCounts candidate(String gate, ThresholdCounts selection, ThresholdCounts calibration) {
        PipelineCandidate c = new PipelineCandidate(Family.L2D, "lr", gate,
                List.of(new PolicyStage(1, null, null, Double.NaN)), Double.NaN, null, null);
        return new CandidateCounts(c, selection, calibration);
    }

    /** 1,000 rows; thresholds strict to lenient, accepting 200, 400, ..., 1000 rows with these agreeing counts. */
    static ThresholdCounts counts(long... agreeing) {
        double[] t = {0.9, 0.7, 0.5, 0.3, 0.1};
        long[] acc = {200, 400, 600, 800, 1000};
        return new ThresholdCounts(t, acc, agreeing, 1000, 0);
    }

    @Test
    void theSelectionSplitChoosesAndCalibrationCertifiesOnlyTheChoice() {
        // a: near-perfect up to 600 accepted; b: worse everywhere on selection
        CandidateCounts a = candidate("a", counts(200, 400, 598, 700, 800), counts(200, 399, 597, 700, 800));
        CandidateCounts b = candidate("b", counts(195, 380, 540, 700, 800), counts(200, 400, 600, 800, 1000));
        TargetOutcome o = new TargetSelector(0.05, 0.0).select(0.95, List.of(b, a));
        TargetOutcome.Deployed d = assertInstanceOf(TargetOutcome.Deployed.class, o);
        assertEquals("a", d.chosen().candidate().gate());
        assertEquals(0.6, d.certificate().coverage(), 1e-12);
        // b is perfect on calibration, but the choice was made on selection: b is information only
        assertTrue(d.candidates().get(0).selected());
        assertTrue(d.candidates().get(0).deployed());
        assertEquals(2, d.candidates().size());
        CandidateCertification other = d.candidates().get(1);
        assertTrue(!other.selected() && !other.deployed());
        assertTrue(other.standalone().isCertified(), "its own run would pass: shown, never deployed");
        assertTrue(other.roles().isEmpty(), "b has no step in the target's sequence");
    }

    @Test
    void aChoiceThatFailsOnCalibrationDeploysNothingWithTheReason() {
        CandidateCounts a = candidate("a", counts(200, 400, 598, 700, 800), counts(150, 300, 450, 600, 750));
        TargetOutcome o = new TargetSelector(0.05, 0.0).select(0.95, List.of(a));
        TargetOutcome.NothingDeployed n = assertInstanceOf(TargetOutcome.NothingDeployed.class, o);
        assertTrue(n.reason().startsWith("the selected pipeline l2d[lr + a] did not certify on calibration"),
                n.reason());
        assertEquals(0.0, o.coverage());
        assertEquals(Family.NONE, o.method());
    }

    @Test
    void coverageBelowTheUsefulMinimumDeploysNothing() {
        CandidateCounts a = candidate("a", counts(200, 400, 598, 700, 800), counts(200, 399, 597, 700, 800));
        TargetOutcome o = new TargetSelector(0.05, 0.7).select(0.95, List.of(a));
        assertInstanceOf(TargetOutcome.NothingDeployed.class, o);
        assertTrue(o.reason().contains("below the minimum useful coverage"), o.reason());
    }

    /** Global over 1,000 rows with this many agreeing. */
    static CandidateCounts global(long selAgreeing, long calAgreeing) {
        PipelineCandidate c = new PipelineCandidate(Family.GLOBAL, "lr", null,
                List.of(new PolicyStage(1, null, null, Double.NaN)), Double.NaN, null, null);
        return new CandidateCounts(c, ThresholdCounts.single(1.0, 1000, selAgreeing, 1000),
                ThresholdCounts.single(1.0, 1000, calAgreeing, 1000));
    }

    /**
     * The hole of issue 11: at 0.90 the selection split picks global (0.925 of all traffic agree
     * there), calibration refuses it (0.905), while 0.92 certifies a gate. The 0.90 sequence led
     * with the gate's strongest start and carried 0.92's predicted deployment as a fallback, so
     * 0.90 deploys the gate rather than nothing, and no less than 0.92 does.
     */
    @Test
    void aTargetWhoseChoiceFailsDeploysItsFallbackInsteadOfNothing() {
        CandidateCounts g = global(925, 905);
        CandidateCounts gate = candidate("sharp", counts(200, 400, 598, 780, 920), counts(200, 399, 597, 781, 918));
        List<TargetOutcome> outcomes = new TargetSelector(0.05, 0.0).select(List.of(0.90, 0.92), List.of(g, gate));
        TargetOutcome at90 = outcomes.get(0);
        TargetOutcome at92 = outcomes.get(1);
        assertEquals(Family.GLOBAL, at90.candidates().stream().filter(CandidateCertification::selected).findFirst()
                .orElseThrow().candidate().family(), "global is the selection split's choice at 0.90");
        assertInstanceOf(TargetOutcome.Deployed.class, at92);
        TargetOutcome.Deployed d = assertInstanceOf(TargetOutcome.Deployed.class, at90);
        assertEquals("sharp", d.chosen().candidate().gate());
        assertTrue(d.coverage() >= at92.coverage(), d.coverage() + " vs " + at92.coverage());
        assertTrue(d.tested().tested().stream().anyMatch(t -> !t.rejected()
                && t.step().role() == io.tracer.calibrate.CertificationPlan.Role.SELECTED), "global was tested and failed");
        // exactly one row per target carries the certificate
        for (TargetOutcome o : outcomes) {
            assertEquals(1, o.candidates().stream().filter(CandidateCertification::deployed).count());
        }
        // certified as before, global alone at 0.90 deploys nothing: the hole the sequence fills
        assertFalse(io.tracer.calibrate.FixedSequence.run(g.calibration(), 0, 0.90, 0.05).isCertified());
    }
}
