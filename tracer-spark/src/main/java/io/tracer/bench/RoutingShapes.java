package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.ood.OodCalibrator;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.GateScores;
import io.tracer.pipeline.PolicyStage;
import io.tracer.route.RoutingPlan;
import io.tracer.traces.SyntheticSpec;
import io.tracer.traces.SyntheticTraceGenerator;
import io.tracer.zoo.Features;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogatePipelines;
import io.tracer.zoo.SurrogateSpec;
import io.tracer.zoo.SurrogateZoo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The policy shapes B4 times, fitted here on generated traces of the traffic's geometry, so B4
 * needs no Banking77: the models are the zoo's (lr-1e-3, lr-1e-2, mlp-1x256) and the fit's gates
 * (logistic, boosted) and OOD gate, trained directly (no cross-validation, no certification).
 *
 * <p>These are throughput fixtures, not policies: the thresholds are quantiles of the gate scores
 * on held-out rows (so a realistic share of rows is handled, deferred, or passed to a cascade's
 * second stage), and they are never published, only routed in memory.
 *
 * <ul>
 *   <li>{@value #B1_LIKE}: RSB, lr-1e-3 then lr-1e-2, logistic gates, OOD gate (the B1 policy's
 *       shape); the first stage keeps rows at or above its 0.25 gate-score quantile, so about a
 *       quarter of the rows reach the second stage;</li>
 *   <li>{@value #L2D_LR}: L2D, lr-1e-3 with the logistic gate, OOD gate;</li>
 *   <li>{@value #MLP}: L2D, mlp-1x256 with the logistic gate, OOD gate;</li>
 *   <li>{@value #XGB_GATE}: L2D, lr-1e-3 with the boosted (XGBoost) gate, OOD gate.</li>
 * </ul>
 */
final class RoutingShapes {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingShapes.class);
    static final String B1_LIKE = "b1-like";
    static final String L2D_LR = "l2d-lr-logistic";
    static final String MLP = "mlp";
    static final String XGB_GATE = "xgb-gate";
    static final List<String> ALL = List.of(B1_LIKE, L2D_LR, MLP, XGB_GATE);
    private static final int SEED = 11;

    private final TracerConfig config;
    private final int dim;
    private final LabelIndex labels;
    private final Dataset<Row> train;
    private final Dataset<Row> gateRows;
    private final Dataset<Row> held;
    private final Map<String, SurrogateModel> surrogates = new LinkedHashMap<>();

    /** Generates {@code rows} traces (no OOD rows) and splits them 60/20/20: surrogates, gates, thresholds. */
    RoutingShapes(SparkSession spark, TracerConfig config, long rows, int dim, int labels, long seed) {
        this.config = config;
        this.dim = dim;
        Dataset<Row> traces = new SyntheticTraceGenerator(spark)
                .generate(SyntheticSpec.of(rows, dim, labels, SyntheticSpec.DEFAULT_NOISE, 0.0, seed));
        this.labels = LabelIndex.fromTeacher(traces);
        Dataset<Row> all = Features.add(this.labels.withLabelIndex(traces))
                .withColumn("_part", pmod(xxhash64(col(Columns.TRACE_ID)), lit(5)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        this.train = all.where(col("_part").geq(2)).drop("_part");
        this.gateRows = all.where(col("_part").equalTo(1)).drop("_part");
        this.held = all.where(col("_part").equalTo(0)).drop("_part");
    }

    /** The plan of one shape (fitting what it needs, once per surrogate). */
    RoutingPlan plan(String shape) {
        long t0 = System.nanoTime();
        RoutingPlan plan = switch (shape) {
            case B1_LIKE -> b1Like();
            case L2D_LR -> l2d(surrogate("lr-1e-3"), "logistic");
            case MLP -> l2d(surrogate("mlp-1x256"), "logistic");
            case XGB_GATE -> l2d(surrogate("lr-1e-3"), "boosted");
            default -> throw new io.tracer.BadInputException("bench routing: unknown shape " + shape + " (known: "
                    + ALL + ")");
        };
        LOG.info("bench routing: shape {} fitted in {} s", shape, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return plan;
    }

    private RoutingPlan b1Like() {
        SurrogateModel first = surrogate("lr-1e-3");
        SurrogateModel second = surrogate("lr-1e-2");
        GateModel g1 = gate("logistic", first);
        GateModel g2 = gate("logistic", second);
        double t1 = quantile(first, g1, 0.25);
        double t = quantile(second, g2, 0.5);
        return RoutingPlan.of(Family.RSB, List.of(new PolicyStage(1, first, g1, t1),
                new PolicyStage(2, second, g2, Double.NaN)), t, labels, dim, ood(first), B1_LIKE);
    }

    private RoutingPlan l2d(SurrogateModel surrogate, String gateName) {
        GateModel gate = gate(gateName, surrogate);
        return RoutingPlan.of(Family.L2D, List.of(new PolicyStage(1, surrogate, gate, Double.NaN)),
                quantile(surrogate, gate, 0.5), labels, dim, ood(surrogate), surrogate.spec().name() + " + " + gateName);
    }

    private SurrogateModel surrogate(String name) {
        return surrogates.computeIfAbsent(name, n -> {
            SurrogateSpec spec = SurrogateZoo.byName(n, dim, labels.size());
            return new SurrogateModel(spec, labels, SurrogatePipelines.build(spec, dim, labels.size(), SEED).fit(train));
        });
    }

    /** Trained on rows the surrogate did not see, as the fit's gates learn from out-of-fold predictions. */
    private GateModel gate(String name, SurrogateModel surrogate) {
        return new GateTrainer().train(name, surrogate.predictWithAgree(gateRows), SEED);
    }

    /** The first stage's OOD gate, measured on its predictions of the train rows as the fit's ood stage does. */
    private OodGate ood(SurrogateModel first) {
        return OodCalibrator.fit(first.predict(train), labels.size(), config.ood());
    }

    private double quantile(SurrogateModel surrogate, GateModel gate, double q) {
        return GateScores.add(surrogate.predict(held), gate, "_score").stat()
                .approxQuantile("_score", new double[] {q}, 0.0)[0];
    }
}
