package io.tracer.pipeline;

import io.tracer.Columns;
import io.tracer.calibrate.QuantileGrid;
import io.tracer.calibrate.ThresholdCounts;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The counting step of every family: the grid comes from the selection scores alone, both
 * splits are counted along it exactly as the plain-Java reference counts, and NaN or null
 * scores are never accepted.
 */
class CandidateCounterTest {
    static final StructType SCORED = new StructType()
            .add(Columns.TRACE_ID, DataTypes.StringType, false)
            .add(ScoredColumns.SCORE, DataTypes.DoubleType, true)
            .add(ScoredColumns.AGREE, DataTypes.DoubleType, false);

    record Split(Dataset<Row> rows, double[] scores, boolean[] agree) {}

    static Split split(String prefix, int n, long seed, double shift) {
        return split(prefix, n, seed, shift, false);
    }

    /** @param global every scored row scores 1, as the global family's rows do (NaN where unscored) */
    static Split split(String prefix, int n, long seed, double shift, boolean global) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        double[] scores = new double[n];
        boolean[] agree = new boolean[n];
        for (int i = 0; i < n; i++) {
            double s = Math.min(1.0, rnd.nextDouble() + shift);
            Double boxed = s;
            if (i % 37 == 0) {
                boxed = null;
                s = Double.NaN;
            } else if (i % 41 == 0) {
                boxed = Double.NaN;
                s = Double.NaN;
            } else if (global) {
                s = 1.0;
                boxed = s;
            } else if (i % 10 == 0) {
                s = 0.5; // ties
                boxed = s;
            }
            scores[i] = s;
            agree[i] = rnd.nextDouble() < 0.6 + 0.4 * (Double.isNaN(s) ? 0.5 : s);
            rows.add(RowFactory.create(prefix + i, boxed, agree[i] ? 1.0 : 0.0));
        }
        return new Split(SparkTestSession.get().createDataFrame(rows, SCORED), scores, agree);
    }

    static PipelineCandidate candidate(Family family, Split selection, Split calibration) {
        return new PipelineCandidate(family, "lr", family == Family.GLOBAL ? null : "g",
                List.of(new PolicyStage(1, null, null, Double.NaN)), Double.NaN, selection.rows(), calibration.rows());
    }

    @Test
    void theGridIsTheSelectionQuantilesAndBothSplitsAreCountedAlongIt() {
        Split sel = split("s", 900, 1, 0.0);
        Split cal = split("c", 700, 2, 0.2);
        CandidateCounts counts = new CandidateCounter(50).count(candidate(Family.L2D, sel, cal));
        double[] grid = QuantileGrid.fromScores(sel.scores(), 50);
        assertArrayEquals(grid, counts.selection().thresholds());
        assertEquals(ThresholdCounts.count(grid, sel.scores(), sel.agree()), counts.selection());
        assertEquals(ThresholdCounts.count(grid, cal.scores(), cal.agree()), counts.calibration());
        assertEquals(900, counts.selection().n());
        assertEquals(25 + 21, counts.selection().unscored(), "null and NaN scores are unscored, never accepted");

        // other calibration scores and labels do not move the grid
        CandidateCounts other = new CandidateCounter(50).count(candidate(Family.L2D, sel, split("c", 700, 3, -0.3)));
        assertArrayEquals(counts.selection().thresholds(), other.calibration().thresholds());
        assertEquals(counts.selection(), other.selection());
    }

    @Test
    void globalHasTheOneThresholdOfAcceptingEveryScoredRow() {
        Split sel = split("s", 300, 4, 0.0, true);
        Split cal = split("c", 300, 5, 0.0, true);
        CandidateCounts counts = new CandidateCounter(50).count(candidate(Family.GLOBAL, sel, cal));
        assertArrayEquals(new double[] {1.0}, counts.calibration().thresholds());
        assertEquals(ThresholdCounts.count(new double[] {1.0}, cal.scores(), cal.agree()), counts.calibration());
        assertEquals(300 - 9 - 7, counts.calibration().accepted(0), "all but the null and NaN rows");
    }
}
