package io.tracer.certify;

import io.tracer.calibrate.ThresholdCounts;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PipelineCandidate;
import io.tracer.pipeline.PolicyStage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The certify stage's rule on hand-made counts: the candidate the selection split predicts to
 * certify most is the one certified on calibration, once; the outcome is deployed or nothing.
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
        assertEquals(2, d.candidates().size());
        assertTrue(!d.candidates().get(1).selected());
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
}
