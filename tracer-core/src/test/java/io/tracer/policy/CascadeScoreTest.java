package io.tracer.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cascade score and the one NaN rule of certification and both routers. */
class CascadeScoreTest {
    @Test
    void firstStageRowsScoreOnePlusTheirGateScoreTheOthersTheSecondGates() {
        assertEquals(1.8, CascadeScore.combine(0.8, 0.7, 0.3), 0.0);
        assertEquals(0.3, CascadeScore.combine(0.6, 0.7, 0.3), 0.0);
        assertEquals(1, CascadeScore.stage(0.8, 0.7, 0.3, 0.5));
        assertEquals(2, CascadeScore.stage(0.6, 0.7, 0.9, 0.5));
        assertEquals(0, CascadeScore.stage(0.6, 0.7, 0.3, 0.5));
    }

    @Test
    void aTieAtEitherThresholdIsAccepted() {
        assertEquals(1.7, CascadeScore.combine(0.7, 0.7, 0.1), 0.0);
        assertEquals(1, CascadeScore.stage(0.7, 0.7, 0.1, 1.7));
        assertEquals(2, CascadeScore.stage(0.2, 0.7, 0.4, 0.4));
    }

    @Test
    void aThresholdAboveOneKeepsOnlyFirstStageRowsAboveIt() {
        assertEquals(0, CascadeScore.stage(0.75, 0.7, 1.0, 1.8), "1.75 < 1.8");
        assertEquals(1, CascadeScore.stage(0.85, 0.7, 0.0, 1.8));
        assertEquals(0, CascadeScore.stage(0.1, 0.7, 1.0, 1.0 + 1e-9), "a second-stage score never exceeds 1");
    }

    @Test
    void aNaNFirstStageScoreGoesToTheSecondStage() {
        assertFalse(CascadeScore.firstStageHandles(Double.NaN, 0.7));
        assertEquals(0.9, CascadeScore.combine(Double.NaN, 0.7, 0.9), 0.0);
        assertEquals(2, CascadeScore.stage(Double.NaN, 0.7, 0.9, 0.5), "handled by stage 2");
        assertEquals(0, CascadeScore.stage(Double.NaN, 0.7, 0.4, 0.5));
        // even a first-stage threshold of -infinity does not accept NaN
        assertFalse(CascadeScore.firstStageHandles(Double.NaN, Double.NEGATIVE_INFINITY));
    }

    @Test
    void aNaNScoreIsNeverAcceptedAtAnyStage() {
        assertTrue(Double.isNaN(CascadeScore.combine(0.2, 0.7, Double.NaN)));
        assertEquals(0, CascadeScore.stage(0.2, 0.7, Double.NaN, Double.NEGATIVE_INFINITY));
        assertEquals(0, CascadeScore.stage(Double.NaN, 0.7, Double.NaN, 0.0));
        assertFalse(CascadeScore.accepts(Double.NaN, Double.NEGATIVE_INFINITY));
        assertFalse(CascadeScore.accepts(0.5, Double.NaN), "a NaN threshold accepts nothing");
        assertTrue(CascadeScore.accepts(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }
}
