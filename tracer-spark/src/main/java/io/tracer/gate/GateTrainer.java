package io.tracer.gate;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Seeds;
import io.tracer.zoo.XgboostConsole;
import io.tracer.zoo.XgboostRows;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSizeHint;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

/**
 * Fits gates on the zoo's out-of-fold predictions of the train split (never on rows the surrogate
 * was fitted on, whose confidence would be optimistic). Gate names:
 * <ul>
 *   <li>{@code top1}: the raw top-1 probability; nothing is fitted.</li>
 *   <li>{@code logistic}: logistic regression on the four confidence features.</li>
 *   <li>{@code boosted}: XGBoost (binary:logistic, hist) on the confidence features plus the
 *       embedding features, so it can learn regions where the surrogate is unreliable.</li>
 * </ul>
 * With a {@link NeighbourReference}, both trained gates also read its neighbour input, after the
 * confidence features: whether the query's nearest train rows carry the label the surrogate gives.
 * When the agree label has one value only (the surrogate agreed on every row, or on none) a
 * trained gate has nothing to separate and XGBoost's binary:logistic refuses the labels outright;
 * logistic and boosted then become a constant gate scoring the observed share (1 or 0), logged.
 */
public final class GateTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(GateTrainer.class);

    public static final List<String> NAMES = List.of("top1", "logistic", "boosted");

    static final String ASSEMBLED = GateModel.TMP_PREFIX + "features";

    /** Boosted gate settings; {@link #defaults()} suits a few thousand to a few hundred thousand rows. */
    public record BoostedParams(int numRound, int maxDepth, double eta, double subsample,
                                double colsampleBytree, int nthread) {
        public static BoostedParams defaults() {
            return new BoostedParams(200, 4, 0.05, 0.8, 0.5, 2);
        }
    }

    private final BoostedParams boosted;
    /** The trained gates' neighbour input, or null for the confidence features alone. */
    private final NeighbourReference neighbours;

    public GateTrainer() {
        this(BoostedParams.defaults(), null);
    }

    /** @param neighbours the trained gates' neighbour input, or null to leave it out */
    public GateTrainer(NeighbourReference neighbours) {
        this(BoostedParams.defaults(), neighbours);
    }

    public GateTrainer(BoostedParams boosted) {
        this(boosted, null);
    }

    public GateTrainer(BoostedParams boosted, NeighbourReference neighbours) {
        this.boosted = boosted;
        this.neighbours = neighbours;
    }

    /** Whether gate {@code name} is fitted on nothing (so {@link #train} reads no out-of-fold rows). */
    public static boolean learnsNothing(String name) {
        return "top1".equals(name);
    }

    /**
     * Fits gate {@code name} on {@code outOfFold} (columns probability and agree, and trace_id and
     * features too for the boosted gate and the neighbour input; unread, and may be null, for a gate that
     * {@link #learnsNothing}). {@code seed}
     * is the run's root seed; the gate derives its own from it.
     */
    public GateModel train(String name, Dataset<Row> outOfFold, long seed) {
        if (!NAMES.contains(name)) {
            throw new BadInputException("gate " + name + ": unknown (known: " + NAMES + ")");
        }
        if (learnsNothing(name)) {
            return new GateModel(name, null);
        }
        Objects.requireNonNull(outOfFold, () -> "gate " + name + " needs out-of-fold rows");
        Row tally = outOfFold.agg(count(col(Columns.AGREE)), sum(col(Columns.AGREE))).first();
        long rowsWithLabel = tally.getLong(0);
        if (rowsWithLabel == 0) {
            throw new BadInputException("gate " + name + ": no out-of-fold rows with an " + Columns.AGREE + " value");
        }
        double agreeing = tally.isNullAt(1) ? 0.0 : ((Number) tally.get(1)).doubleValue();
        if (agreeing == 0.0 || agreeing == rowsWithLabel) {
            double share = agreeing / rowsWithLabel;
            LOG.warn("gate: {} has one class to learn from ({} of {} out-of-fold rows agree); it is a constant gate "
                    + "scoring {} on every row", name, (long) agreeing, rowsWithLabel, share);
            return GateModel.constant(name, share);
        }
        int gateSeed = Seeds.deriveInt(seed, "gate/" + name);
        Dataset<Row> rows = ConfidenceFeatures.add(outOfFold);
        List<String> inputs = new ArrayList<>(ConfidenceFeatures.ALL);
        if (neighbours != null) {
            rows = neighbours.add(rows);
            inputs.add(NeighbourReference.COLUMN);
        }
        PipelineStage model;
        if ("logistic".equals(name)) {
            LogisticRegression lr = new LogisticRegression();
            lr.setFamily("binomial");
            lr.setRegParam(1e-4);
            lr.setMaxIter(100);
            lr.setFeaturesCol(ASSEMBLED);
            lr.setLabelCol(Columns.AGREE);
            lr.setProbabilityCol(GateModel.PROBABILITY);
            lr.setRawPredictionCol(GateModel.TMP_PREFIX + "raw");
            lr.setPredictionCol(GateModel.TMP_PREFIX + "prediction");
            model = lr;
        } else {
            inputs.add(Columns.FEATURES);
            // Scala setters return an erased type: one call per statement.
            XGBoostClassifier x = XgboostConsole.quiet(new XGBoostClassifier());
            x.setObjective("binary:logistic");
            x.setTreeMethod("hist");
            x.setNumRound(boosted.numRound());
            x.setMaxDepth(boosted.maxDepth());
            x.setEta(boosted.eta());
            x.setSubsample(boosted.subsample());
            x.setColsampleBytree(boosted.colsampleBytree());
            XgboostRows.readOneOrderedPartition(x);
            x.setNthread(io.tracer.zoo.XgboostThreads.allowed(boosted.nthread()));
            x.setSeed(gateSeed);
            x.setFeaturesCol(ASSEMBLED);
            x.setLabelCol(Columns.AGREE);
            x.setProbabilityCol(GateModel.PROBABILITY);
            x.setRawPredictionCol(GateModel.TMP_PREFIX + "raw");
            x.setPredictionCol(GateModel.TMP_PREFIX + "prediction");
            model = x;
        }
        // keep: a NaN confidence (a degenerate probability vector) reaches the model instead of
        // failing the job; the trees route NaN as missing.
        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(inputs.toArray(new String[0])).setOutputCol(ASSEMBLED).setHandleInvalid("keep");
        List<PipelineStage> stages = new ArrayList<>();
        if (inputs.contains(Columns.FEATURES)) {
            // The assembler must know each vector's length up front when it keeps invalid values.
            stages.add(new VectorSizeHint().setInputCol(Columns.FEATURES).setSize(dimension(rows))
                    .setHandleInvalid("optimistic"));
        }
        stages.add(assembler);
        stages.add(model);
        long t0 = System.nanoTime();
        Dataset<Row> fitRows = model instanceof XGBoostClassifier ? XgboostRows.ordered(rows) : rows;
        PipelineModel fitted = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(fitRows);
        LOG.info("gate: {} fitted in {}s", name, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return new GateModel(name, fitted, neighbours);
    }

    private static int dimension(Dataset<Row> rows) {
        List<Row> first = rows.select(Columns.FEATURES).where(Columns.FEATURES + " is not null").limit(1)
                .collectAsList();
        if (first.isEmpty()) {
            throw new BadInputException("gate: no out-of-fold rows with " + Columns.FEATURES);
        }
        return ((Vector) first.get(0).get(0)).size();
    }
}
