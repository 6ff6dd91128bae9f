package io.tracer.ood;

import io.tracer.Columns;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.pipeline.CandidateCounts;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.route.BatchRouter;
import io.tracer.route.PolicyPlans;
import io.tracer.route.RouteColumns;
import io.tracer.route.RoutingFixture;
import io.tracer.route.RoutingPlan;
import io.tracer.traces.SyntheticTraceGenerator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The out-of-distribution gate: measured at fit time, carried by the artifact, counted by the
 * certification, applied by routing. Traffic with 20% synthetic OOD rows: most of them are
 * deferred as out of distribution, while in-distribution coverage barely moves.
 */
class OodGateTest {
    static RoutingFixture f;
    static LoadedPolicy policy;
    static Dataset<Row> oodTraffic;

    @BeforeAll
    static void fit() {
        f = RoutingFixture.get();
        policy = new PolicyStore(f.policyRoot(), f.spark.sparkContext().hadoopConfiguration()).current().orElseThrow();
        oodTraffic = f.spark.read().format("delta").load(f.oodTraffic);
    }

    @Test
    void configDefaultsAndOverrides() {
        assertEquals(new TracerConfig.Ood(true, 0.99, 30), ConfigLoader.load(null, Map.of()).ood());
        TracerConfig.Ood c = ConfigLoader.load(null, Map.of("tracer.ood.enabled", "false",
                "tracer.ood.quantile", "0.95")).ood();
        assertEquals(new TracerConfig.Ood(false, 0.95, 30), c);
        io.tracer.BadInputException e = assertThrows(io.tracer.BadInputException.class,
                () -> new TracerConfig.Ood(true, 1.5, 30));
        assertTrue(e.getMessage().contains("tracer.ood.quantile"), e.getMessage());
    }

    @Test
    void theArtifactCarriesTheGateAndRoutingLoadsIt() {
        PolicyManifest.Ood entry = policy.manifest().ood();
        assertNotNull(entry, "a deployed policy of an OOD-enabled fit carries the gate");
        assertEquals(true, entry.enabled());
        assertEquals(0.99, entry.quantile());
        RoutingPlan plan = PolicyPlans.load(policy);
        assertNotNull(plan.ood());
        assertEquals(RoutingFixture.LABELS, plan.ood().labels());
        assertEquals(RoutingFixture.DIM, plan.ood().dim());
        OodGate fitted = f.fit.fit().ood().orElseThrow();
        assertArrayEquals(fitted.thresholds(), plan.ood().thresholds());
        for (double t : fitted.thresholds()) {
            assertTrue(t > 0, "every label has train rows here, so a positive threshold");
        }
    }

    @Test
    void certificationCountedTheOodDeferralsAsNeverAccepted() {
        // About 1% of in-distribution calibration rows lie beyond the 0.99 train quantile: they are
        // unscored (never accepted) in every family's counts, exactly as routing defers them.
        for (CandidateCounts c : f.fit.fit().candidates()) {
            long n = c.calibration().n();
            long unscored = c.calibration().unscored();
            assertTrue(unscored > 0 && unscored < 0.05 * n, c.candidate().label() + ": " + unscored + " of " + n);
        }
    }

    /**
     * Not only as many: the unscored (never accepted) rows of every candidate, on both splits, are
     * exactly the rows the OOD gate flagged, by trace id.
     */
    @Test
    void theUnscoredRowsAreExactlyTheFlaggedRows() {
        var fit = f.fit.fit();
        for (boolean calibration : new boolean[] {true, false}) {
            java.util.Set<String> flagged = ids((calibration ? fit.calibration() : fit.selection())
                    .where(col(OodGate.FLAG)));
            assertFalse(flagged.isEmpty());
            for (CandidateCounts c : fit.candidates()) {
                Dataset<Row> scored = calibration ? c.candidate().calibration() : c.candidate().selection();
                org.apache.spark.sql.Column s = col(io.tracer.pipeline.ScoredColumns.SCORE);
                assertEquals(flagged, ids(scored.where(s.isNull().or(org.apache.spark.sql.functions.isnan(s)))),
                        c.candidate().label() + (calibration ? " calibration" : " selection"));
                assertEquals(flagged.size(), (calibration ? c.calibration() : c.selection()).unscored());
            }
        }
    }

    private static java.util.Set<String> ids(Dataset<Row> rows) {
        return new java.util.TreeSet<>(rows.select(Columns.TRACE_ID).as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList());
    }

    @Test
    void mostOodRowsAreDeferredWhileInDistributionCoverageBarelyMoves() {
        RoutingPlan plan = PolicyPlans.load(policy);
        Dataset<Row> on = new BatchRouter(plan).route(oodTraffic).cache();
        Dataset<Row> off = new BatchRouter(plan.withoutOod()).route(oodTraffic).cache();
        Dataset<Row> oodOn = on.where(col(SyntheticTraceGenerator.IS_OOD));
        long oodRows = oodOn.count();
        assertTrue(oodRows > 400 && oodRows < 800, "about 20% of 3000 rows are OOD: " + oodRows);
        long oodDeferred = oodOn.where(col(RouteColumns.REASON).equalTo(RouteColumns.OUT_OF_DISTRIBUTION)).count();
        double deferredShare = (double) oodDeferred / oodRows;
        assertTrue(deferredShare >= 0.8, "OOD rows deferred as out of distribution: " + deferredShare);

        // Without the gate the surrogate is confident far from the data and handles many OOD rows.
        double handledOff = (double) off.where(col(SyntheticTraceGenerator.IS_OOD)
                .and(col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED))).count() / oodRows;
        double handledOn = (double) oodOn.where(col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED)).count() / oodRows;
        assertTrue(handledOn < handledOff, "gate on " + handledOn + " vs off " + handledOff);

        double coverageOn = coverage(on.where(col(SyntheticTraceGenerator.IS_OOD).unary_$bang()));
        double coverageOff = coverage(off.where(col(SyntheticTraceGenerator.IS_OOD).unary_$bang()));
        assertTrue(coverageOff - coverageOn <= 0.02, "in-distribution coverage " + coverageOff + " -> " + coverageOn);
        System.err.printf("OOD test: %d OOD rows, %.1f%% deferred as OOD (handled %.1f%% with the gate off, %.1f%% on); "
                        + "in-distribution coverage %.2f%% off -> %.2f%% on%n", oodRows, 100 * deferredShare,
                100 * handledOff, 100 * handledOn, 100 * coverageOff, 100 * coverageOn);
        on.unpersist();
        off.unpersist();
    }

    private static double coverage(Dataset<Row> routed) {
        long n = routed.count();
        return (double) routed.where(col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED)).count() / n;
    }

    @Test
    void flaggingIsTheDistanceToThePredictedLabelsCentroid() {
        OodGate g = new OodGate(new double[][] {{0, 0}, {3, 4}}, new double[] {5.0, 2.0}, 1.5, new long[] {40, 40},
                0.99, 30);
        Dataset<Row> rows = f.spark.sql("select array(cast(3.0 as float), cast(4.0 as float)) as embedding, 0.0 as p "
                        + "union all select array(cast(0.0 as float), cast(0.0 as float)), 1.0 "
                        + "union all select array(cast(3.0 as float), cast(5.5 as float)), 1.0")
                .withColumn(Columns.FEATURES, org.apache.spark.ml.functions.array_to_vector(col(Columns.EMBEDDING)));
        var out = g.flag(rows, Columns.FEATURES, "p").select(OodGate.DISTANCE, OodGate.FLAG).collectAsList();
        assertEquals(5.0, out.get(0).getDouble(0), 1e-12);
        assertFalse(out.get(0).getBoolean(1), "distance 5 is not above label 0's threshold 5");
        assertEquals(5.0, out.get(1).getDouble(0), 1e-12);
        assertTrue(out.get(1).getBoolean(1), "distance 5 is above label 1's threshold 2");
        assertEquals(1.5, out.get(2).getDouble(0), 1e-12);
        assertFalse(out.get(2).getBoolean(1));
    }
}
