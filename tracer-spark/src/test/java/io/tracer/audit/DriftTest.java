package io.tracer.audit;

import io.tracer.Columns;
import io.tracer.cli.AuditCommand;
import io.tracer.cli.AuditCommandAccess;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EncoderInfo;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Drift: the newest traces certify. A synthetic population whose traffic moves: six labels in
 * eight dimensions, two of them confusable (their centroids 0.5 apart, noise 0.5 per coordinate,
 * so the surrogate gets them right about three times in four) and the other four easy. Before the
 * drift the confusable pair is 6% of traffic; after it, half. The traces are 4,000 rows over time,
 * the newest 40% drifted; later traffic is all drifted.
 *
 * <p>A fit with the default hash split calibrates on a mix that is mostly pre-drift, certifies a
 * threshold for that mix at 0.92, and on drifted traffic falls well below it: {@code tracer audit}
 * exits 3. The same traces fitted with {@code tracer.split.order = time} calibrate on the newest
 * rows, all drifted: the certified policy handles less, and passes the same audit.
 */
class DriftTest {
    static final int DIM = 8;
    static final int LABELS = 6;
    static final double SIGMA = 0.5;
    static final double SEPARATION = 0.5;
    static final double TARGET = 0.92;
    static final int ROWS = 4000;
    static final int DRIFT_FROM = 2400;
    static final long T0 = Timestamp.valueOf("2025-01-01 00:00:00").getTime();

    @TempDir
    static Path dir;

    /** Label weights before and after the drift: the confusable pair l0, l1 grows from 6% to 50%. */
    static double[] weights(boolean drifted) {
        return drifted ? new double[] {0.25, 0.25, 0.125, 0.125, 0.125, 0.125}
                : new double[] {0.03, 0.03, 0.235, 0.235, 0.235, 0.235};
    }

    /**
     * {@code n} traces, row i at T0 + offset + i minutes, drifted from row {@code driftFrom} on.
     * Centroids: label k at 2 e_k; label 1 at label 0's plus 0.5 e_7. The teacher is the true label.
     */
    static Dataset<Row> traces(SparkSession spark, String prefix, int n, int driftFrom, long minutesOffset, long seed) {
        double[][] centroids = new double[LABELS][DIM];
        for (int k = 0; k < LABELS; k++) {
            centroids[k][k] = 2.0;
        }
        centroids[1] = centroids[0].clone();
        centroids[1][DIM - 1] = SEPARATION;
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] w = weights(i >= driftFrom);
            double u = rnd.nextDouble();
            int label = 0;
            double cumulative = w[0];
            while (u >= cumulative && label < LABELS - 1) {
                label++;
                cumulative += w[label];
            }
            Float[] e = new Float[DIM];
            for (int d = 0; d < DIM; d++) {
                e[d] = (float) (centroids[label][d] + SIGMA * rnd.nextGaussian());
            }
            rows.add(RowFactory.create(prefix + i, "query " + prefix + i, "l" + label,
                    new Timestamp(T0 + (minutesOffset + i) * 60_000L), e));
        }
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField(Columns.TRACE_ID, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.INPUT, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.TEACHER, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.TIMESTAMP, DataTypes.TimestampType, false),
                new StructField(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false,
                        new EncoderInfo("synthetic-drift", DIM).metadata())});
        return spark.createDataFrame(rows, schema);
    }

    static TracerConfig config(String lake, String order) {
        return ConfigLoader.load(null, Map.of(
                "tracer.lakehouse.root", dir.resolve(lake).toUri().toString(),
                "tracer.zoo.skip", "[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
                "tracer.zoo.folds", "2",
                "tracer.gate.candidates", "[top1, logistic]",
                "tracer.pipeline.families", "[global, l2d]",
                "tracer.calibrate.targets", "[" + TARGET + "]",
                "tracer.calibrate.deploy-target", Double.toString(TARGET),
                "tracer.calibrate.grid-size", "200",
                "tracer.report.enabled", "false",
                "tracer.split.order", order));
    }

    record Fitted(TracerConfig config, FitRun.Finished run, String policyRoot) {}

    static Fitted fit(SparkSession spark, String traces, String order) {
        TracerConfig config = config("lake-" + order, order);
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        FitRun.Finished run = new FitRun(spark, config, layout).run(new FitRequest(TraceSource.of(traces),
                "drift-" + order, true, Optional.empty(), "fit"));
        return new Fitted(config, run, layout.policyRoot());
    }

    @Test
    void auditCatchesThePolicyDriftBrokeAndTheTimeOrderedRefitRestoresIt() {
        SparkSession spark = SparkTestSession.get();
        String traces = dir.resolve("traces").toUri().toString();
        traces(spark, "d-", ROWS, DRIFT_FROM, 0, 11).write().format("delta").save(traces);
        String traffic = dir.resolve("traffic").toUri().toString();
        traces(spark, "live-", 3000, 0, ROWS + 60, 12).write().format("delta").save(traffic);

        // The hash split: calibration is 60% pre-drift, so the threshold suits a mix traffic has left.
        Fitted hash = fit(spark, traces, "hash");
        assertTrue(hash.run().fit().deployed().certified().isPresent(), hash.run().summary());
        AuditCommandAccess.Run stale = AuditCommandAccess.audit(spark, hash.config(), "--policy", hash.policyRoot(),
                "--traces", traffic, "--run-id", "audit-hash");
        System.out.println("[drift] hash split: " + hash.run().message() + "; audit on drifted traffic: "
                + stale.report().render());
        assertEquals(AuditCommand.EXIT_VIOLATION, stale.exitCode(), stale.report().render());
        assertTrue(stale.report().overall().test().agreement() < TARGET);

        // The time-ordered split: training on the oldest 60%, selection and calibration on the newest 40%.
        Fitted time = fit(spark, traces, "time");
        Timestamp oldestCalibration = time.run().fit().data().calibration().join(
                        spark.read().format("delta").load(traces).select(Columns.TRACE_ID, Columns.TIMESTAMP),
                        Columns.TRACE_ID)
                .agg(org.apache.spark.sql.functions.min(col(Columns.TIMESTAMP))).first().getTimestamp(0);
        assertFalse(oldestCalibration.before(new Timestamp(T0 + DRIFT_FROM * 60_000L)),
                "calibration holds the newest rows only: " + oldestCalibration);
        assertTrue(time.run().fit().deployed().certified().isPresent(), time.run().summary());
        double coverage = time.run().fit().deployed().coverage();
        assertTrue(coverage > 0.3 && coverage < hash.run().fit().deployed().coverage(),
                "it handles less, but handles: " + coverage);
        AuditCommandAccess.Run fresh = AuditCommandAccess.audit(spark, time.config(), "--policy", time.policyRoot(),
                "--traces", traffic, "--run-id", "audit-time");
        System.out.println("[drift] time-ordered split: " + time.run().message() + "; audit on drifted traffic: "
                + fresh.report().render());
        assertEquals(0, fresh.exitCode(), fresh.report().render());
        assertFalse(fresh.report().violated());
        assertTrue(fresh.report().overall().handled() > 0.3 * 3000, fresh.report().render());
    }
}
