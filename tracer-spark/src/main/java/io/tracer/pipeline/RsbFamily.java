package io.tracer.pipeline;

import io.tracer.Columns;
import io.tracer.HashSample;
import io.tracer.Lineage;
import io.tracer.Seeds;
import io.tracer.calibrate.Certification;
import io.tracer.calibrate.StartPoint;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.ood.OodGate;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogateSpec;
import io.tracer.zoo.ZooResult;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * RSB: a second surrogate and gate trained on the train rows the first stage defers, chained
 * after it. The first stage's gate threshold {@code t1} is fixed from the selection split
 * before the second stage is trained; the cascade is then scored with {@link io.tracer.policy.CascadeScore}
 * and certified as one policy.
 */
public final class RsbFamily {
    private static final Logger LOG = LoggerFactory.getLogger(RsbFamily.class);

    /** Fewer deferred train rows than this cannot train a second surrogate worth certifying. */
    public static final long MIN_DEFERRED_ROWS = 200;

    /**
     * A first stage predicted to accept less than this share of rows gets no second stage. It
     * would defer nearly every row, so the second surrogate would learn the whole population
     * again, from at most {@code rsb-rows} of it where the first surrogate had every train row:
     * a weaker copy of the first, behind a gate trained for it, which the L2D candidate with the
     * same gate already covers. (On B3 at 0.98 the first stage accepted 2.5%; the second stage cost
     * about 15 s and its cascade certified nothing. On Banking77 every first stage RSB builds on
     * accepts 70% or more.)
     */
    public static final double MIN_FIRST_STAGE_COVERAGE = 0.10;

    /**
     * Why {@code first} gets no second stage, or empty when it gets one: it already handles every
     * row, or it is predicted to accept under {@link #MIN_FIRST_STAGE_COVERAGE} of them.
     */
    public static Optional<String> noSecondStage(FirstStage first) {
        double coverage = first.predicted().coverage();
        if (coverage >= 1.0) {
            return Optional.of("the first stage already handles everything");
        }
        if (coverage < MIN_FIRST_STAGE_COVERAGE) {
            return Optional.of(String.format(java.util.Locale.ROOT, "the first stage (%s) is predicted to accept "
                    + "%.1f%% of rows, under %.0f%%: a second stage would learn nearly every row again from fewer",
                    first.l2d().candidate().gate(), 100 * coverage, 100 * MIN_FIRST_STAGE_COVERAGE));
        }
        return Optional.empty();
    }

    private final ZooTrainer zooTrainer;
    private final GateTrainer gateTrainer;
    private final long seed;
    private final int maxRows;

    /** @param maxRows deferred rows a second stage is trained on, at most (a hash sample beyond) */
    public RsbFamily(ZooTrainer zooTrainer, GateTrainer gateTrainer, long seed, int maxRows) {
        this.zooTrainer = zooTrainer;
        this.gateTrainer = gateTrainer;
        this.seed = seed;
        this.maxRows = maxRows;
    }

    /**
     * An RSB first stage: the L2D candidate and the certification the selection split predicts
     * for it at one target; its predicted threshold becomes the cascade's t1.
     */
    public record FirstStage(CandidateCounts l2d, Certification.Certified predicted) {}

    /**
     * The first stage for {@code target}: of the L2D candidates, the one the selection split
     * predicts to certify the most coverage (selection counts scaled to the calibration size);
     * empty when none is predicted to certify. Reads the selection counts only.
     */
    public static Optional<FirstStage> firstStage(List<CandidateCounts> l2d, double target, double delta) {
        FirstStage best = null;
        for (CandidateCounts c : l2d) {
            StartPoint.Prediction p = StartPoint.predict(c.selection(), c.calibration().n(), target, delta);
            if (p.certification() instanceof Certification.Certified certified
                    && (best == null || certified.coverage() > best.predicted().coverage())) {
                best = new FirstStage(c, certified);
            }
        }
        return Optional.ofNullable(best);
    }

    /** The first-stage gate's score on {@link #scoreFirstStage}'s rows. */
    static final String FIRST_SCORE = "rsb_s1";

    /**
     * The first surrogate's out-of-fold train rows scored by one first-stage gate (column
     * {@code rsb_s1}), persisted: every target whose first stage uses that gate filters this one
     * cut by its own t1, instead of scoring the out-of-fold rows again (a boosted gate over 50,000
     * rows is several seconds a target). The caller unpersists it once the cascades are built.
     */
    public static Dataset<Row> scoreFirstStage(Dataset<Row> outOfFold, GateModel firstGate) {
        return Lineage.persistCut(GateScores.add(outOfFold, firstGate, FIRST_SCORE)
                .select(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX, Columns.FOLD, FIRST_SCORE));
    }

    /**
     * @param first      the first stage ({@link #firstStage}); its predicted threshold is t1
     * @param firstScored the first surrogate's out-of-fold train predictions (with fold) scored by
     *                   the first stage's gate ({@link #scoreFirstStage} with that gate)
     * @param selection  selection rows predicted by the first surrogate and scored by its gates
     * @param calibration the same for calibration rows
     */
    public Optional<PipelineCandidate> build(double target, SurrogateModel firstSurrogate, SurrogateSpec secondSpec,
                                             FirstStage first, Dataset<Row> firstScored, Dataset<Row> selection,
                                             Dataset<Row> calibration) {
        String gateName = first.l2d().candidate().gate();
        GateModel firstGate = first.l2d().candidate().stages().get(0).gate();
        double t1 = first.predicted().threshold();
        Dataset<Row> deferred = Lineage.persistCut(firstScored
                // what the first stage does not accept, NaN and null scores included (CascadeScore's rule)
                .where(not(ScoredColumns.accepts(col(FIRST_SCORE), t1)))
                .select(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX, Columns.FOLD));
        Row stats = deferred.agg(org.apache.spark.sql.functions.count(lit(1)),
                countDistinct(col(Columns.LABEL_INDEX))).first();
        long rows = stats.getLong(0);
        long labels = stats.getLong(1);
        if (rows < MIN_DEFERRED_ROWS || labels < 2) {
            LOG.info("rsb at target {}: {} deferred train rows over {} labels, too few for a second stage",
                    target, rows, labels);
            deferred.unpersist();
            return Optional.empty();
        }
        Dataset<Row> trainOn = HashSample.atMost(deferred, rows, maxRows, Seeds.derive(seed, "rsb/sample"));
        LOG.info("rsb at target {}: training a second {} on {} deferred train rows (first gate {} < {})",
                target, secondSpec.name(), Math.min(rows, maxRows) + (rows > maxRows ? " of " + rows : ""),
                gateName, t1);
        long t0 = System.nanoTime();
        SurrogateModel secondSurrogate;
        GateModel secondGate;
        long t1Nanos;
        if (GateTrainer.learnsNothing(gateName)) {
            // a gate that fits nothing needs no out-of-fold rows: one fit on the deferred rows (at most maxRows)
            secondSurrogate = zooTrainer.fit(secondSpec, trainOn);
            t1Nanos = System.nanoTime();
            secondGate = gateTrainer.train(gateName, null, seed);
        } else {
            ZooResult second = zooTrainer.train(trainOn, List.of(secondSpec));
            t1Nanos = System.nanoTime();
            secondSurrogate = second.winner();
            secondGate = gateTrainer.train(gateName, second.outOfFold(), seed);
            second.outOfFold().unpersist();
        }
        deferred.unpersist();
        LOG.info("rsb at target {}: second stage trained in {} s (surrogate {} s, {} gate {} s)", target,
                String.format("%.1f", (System.nanoTime() - t0) / 1e9), String.format("%.1f", (t1Nanos - t0) / 1e9),
                gateName, String.format("%.1f", (System.nanoTime() - t1Nanos) / 1e9));

        return Optional.of(new PipelineCandidate(Family.RSB, firstSurrogate.spec().name() + ">" + secondSpec.name(),
                gateName,
                List.of(new PolicyStage(1, firstSurrogate, firstGate, t1),
                        new PolicyStage(2, secondSurrogate, secondGate, Double.NaN)),
                target,
                cascade(selection, gateName, t1, secondSurrogate, secondGate),
                cascade(calibration, gateName, t1, secondSurrogate, secondGate)));
    }

    /** The cascade's scored rows; the same expression as {@link io.tracer.policy.CascadeScore#combine}. */
    static Dataset<Row> cascade(Dataset<Row> firstStage, String gateName, double t1,
                                SurrogateModel second, GateModel secondGate) {
        boolean flagged = java.util.Arrays.asList(firstStage.columns()).contains(OodGate.FLAG);
        Dataset<Row> renamed = firstStage
                .select(col(Columns.TRACE_ID), col(Columns.TEACHER), col(Columns.FEATURES), col(Columns.LABEL_INDEX),
                        col(GateScores.column(gateName)).as(FIRST_SCORE),
                        col(Columns.AGREE).as("rsb_agree1"), col(Columns.PREDICTION).as("rsb_label1"),
                        flagged ? col(OodGate.FLAG) : lit(false).as(OodGate.FLAG));
        Dataset<Row> predicted = SurrogateModel.addAgree(second.predict(renamed));
        Dataset<Row> scored = GateScores.add(predicted, secondGate, "rsb_s2");
        // CascadeScore's NaN rule: a NaN or null first-stage score is not accepted, so the row goes to stage 2.
        Column firstHandles = ScoredColumns.accepts(col(FIRST_SCORE), t1);
        // The OOD flag (from the first stage's prediction) overrides both stages, as in routing.
        Column score = when(firstHandles, lit(1.0).plus(col(FIRST_SCORE))).otherwise(col("rsb_s2"));
        // The same leading columns as the single-stage families' rows (per-label tables group by teacher).
        return scored.select(col(Columns.TRACE_ID), col(Columns.TEACHER), col(Columns.LABEL_INDEX),
                OodGate.neverAcceptedWhenOod(scored, score).as(ScoredColumns.SCORE),
                when(firstHandles, col("rsb_agree1")).otherwise(col(Columns.AGREE)).as(ScoredColumns.AGREE),
                when(firstHandles, col("rsb_label1")).otherwise(col(Columns.PREDICTION)).as(ScoredColumns.HANDLED_LABEL),
                when(firstHandles, lit(1)).otherwise(lit(2)).as(ScoredColumns.STAGE));
    }
}
