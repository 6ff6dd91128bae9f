package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.calibrate.ThresholdCounts;
import io.tracer.calibrate.spark.ThresholdCounter;
import io.tracer.calibrate.spark.ThresholdGrid;
import io.tracer.certify.TargetOutcome;
import io.tracer.ood.OodGate;
import io.tracer.route.RouteColumns;
import io.tracer.route.RoutingPlan;
import io.tracer.zoo.LabelIndex;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The most a policy's own ranking could have handled on labelled traffic: the largest share of
 * the rows that some threshold on its accept score accepts with agreement at least the target on
 * those very rows, the threshold chosen in hindsight, knowing their labels.
 *
 * <p>No fit can promise that figure; it is a benchmark's yardstick. Certified coverage on the same
 * rows falls short of it by what the guarantee costs (the calibration split's size, delta,
 * choices made on the selection split), so the gap says whether more coverage must come from
 * certification or from a better surrogate and gate.
 *
 * <p>It reads the traffic as the policy's models route it with every threshold open
 * ({@link #acceptingAll}): every row a threshold could reach is then handled, with the label it
 * would get and its accept score (which does not depend on the threshold, {@link
 * io.tracer.policy.CascadeScore}). Rows deferred even then (the OOD gate, an unscorable row, a
 * vector of the wrong width, a NaN score) stay deferred: no threshold reaches them.
 */
public final class HindsightCoverage {
    private static final String SCORE = "hindsight_score";
    private static final String AGREE = "hindsight_agree";

    private HindsightCoverage() {}

    /** The plan of {@code outcome}'s models with every threshold open; empty when it deploys nothing. */
    public static Optional<RoutingPlan> acceptingAll(TargetOutcome outcome, LabelIndex labels, int dim,
                                                     Optional<OodGate> ood) {
        return outcome.deployed().map(d -> RoutingPlan.of(outcome.method(), d.candidate().stages(),
                Double.NEGATIVE_INFINITY, labels, dim, ood.orElse(null),
                "fit outcome at target " + outcome.target() + ", every threshold open"));
    }

    /**
     * @param routed rows with {@link Columns#TEACHER} and the routing columns, routed by
     *               {@link #acceptingAll}
     * @return the share of {@code routed}'s rows, 0 to 1; NaN when no row has a score a
     *         threshold could accept (a target that deploys nothing)
     */
    public static double of(Dataset<Row> routed, double target) {
        Column handled = col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED);
        Dataset<Row> scored = routed.select(
                when(handled, col(RouteColumns.SCORE)).as(SCORE),
                when(col(RouteColumns.SURROGATE_LABEL).equalTo(col(Columns.TEACHER)), lit(1.0))
                        .otherwise(lit(0.0)).as(AGREE));
        // A grid as fine as the rows: every distinct score is a threshold.
        int gridSize = (int) Math.min(Integer.MAX_VALUE, Math.max(1, scored.count()));
        double[] grid = ThresholdGrid.fromScores(scored, SCORE, gridSize);
        if (grid.length == 0) {
            return Double.NaN;
        }
        ThresholdCounts counts = ThresholdCounter.count(scored, SCORE, AGREE, grid);
        double best = 0.0;
        for (int i = 0; i < counts.size(); i++) {
            if (counts.accepted(i) > 0 && counts.agreement(i) >= target) {
                best = Math.max(best, counts.coverage(i));
            }
        }
        return best;
    }
}
