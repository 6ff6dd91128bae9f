package io.tracer.zoo;

import io.tracer.Columns;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.StandardScaler;

/**
 * Turns a {@link SurrogateSpec} into a stock MLlib pipeline over {@link Columns#FEATURES} and
 * {@link Columns#LABEL_INDEX}. Estimators are wrapped, never subclassed, so MLlib persistence
 * keeps working. Intermediate columns carry the {@link #TMP_PREFIX} and are dropped after predict.
 */
public final class SurrogatePipelines {
    private SurrogatePipelines() {}

    /** Prefix of the pipeline's internal columns. */
    public static final String TMP_PREFIX = "_zoo_";
    static final String SCALED = TMP_PREFIX + "scaled";
    static final String RAW = TMP_PREFIX + "raw";

    /**
     * The pipeline for {@code spec}. {@code dim} is the feature dimension (the MLP's input layer),
     * {@code numLabels} the label space K (the output size); {@code seed} feeds every random choice.
     */
    public static Pipeline build(SurrogateSpec spec, int dim, int numLabels, int seed) {
        PipelineStage[] stages = switch (spec.kind()) {
            case LOGISTIC -> new PipelineStage[] {logistic(spec)};
            case MLP -> {
                MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier();
                int[] hidden = spec.intsParam("hidden");
                int[] layers = new int[hidden.length + 2];
                layers[0] = dim;
                System.arraycopy(hidden, 0, layers, 1, hidden.length);
                layers[layers.length - 1] = numLabels;
                mlp.setLayers(layers);
                mlp.setMaxIter(spec.intParam("maxIter"));
                mlp.setTol(spec.doubleParam("tol"));
                mlp.setBlockSize(spec.intParam("blockSize"));
                mlp.setSeed(seed);
                mlp.setFeaturesCol(SCALED);
                outputs(mlp);
                // The network trains badly on raw embedding scales; the scaler centres and whitens.
                yield new PipelineStage[] {scaler(), mlp};
            }
            case NAIVE_BAYES -> {
                NaiveBayes nb = new NaiveBayes();
                nb.setModelType("gaussian");
                nb.setFeaturesCol(Columns.FEATURES);
                outputs(nb);
                yield new PipelineStage[] {nb};
            }
            case TREE -> {
                DecisionTreeClassifier t = new DecisionTreeClassifier();
                t.setMaxDepth(spec.intParam("maxDepth"));
                t.setMinInstancesPerNode(spec.intParam("minInstancesPerNode"));
                t.setMaxBins(spec.intParam("maxBins"));
                t.setSeed(seed);
                t.setFeaturesCol(Columns.FEATURES);
                outputs(t);
                yield new PipelineStage[] {t};
            }
            case FOREST -> {
                RandomForestClassifier f = new RandomForestClassifier();
                f.setNumTrees(spec.intParam("numTrees"));
                f.setMaxDepth(spec.intParam("maxDepth"));
                f.setFeatureSubsetStrategy(spec.param("featureSubsetStrategy"));
                f.setMaxBins(spec.intParam("maxBins"));
                f.setSeed(seed);
                f.setFeaturesCol(Columns.FEATURES);
                outputs(f);
                yield new PipelineStage[] {f};
            }
            case XGBOOST -> new PipelineStage[] {xgboost(spec, numLabels, seed)};
        };
        return new Pipeline().setStages(stages);
    }

    private static LogisticRegression logistic(SurrogateSpec spec) {
        LogisticRegression lr = new LogisticRegression();
        lr.setFamily("multinomial");
        lr.setRegParam(spec.doubleParam("regParam"));
        lr.setElasticNetParam(0.0);
        lr.setMaxIter(spec.intParam("maxIter"));
        lr.setTol(spec.doubleParam("tol"));
        // MLlib standardises internally (and reports coefficients on the original scale).
        lr.setStandardization(true);
        lr.setFeaturesCol(Columns.FEATURES);
        outputs(lr);
        return lr;
    }

    // XGBoost's Scala setters return an erased type: one call per statement.
    private static XGBoostClassifier xgboost(SurrogateSpec spec, int numLabels, int seed) {
        XGBoostClassifier x = XgboostConsole.quiet(new XGBoostClassifier());
        x.setObjective("multi:softprob");
        x.setNumClass(numLabels);
        x.setTreeMethod("hist");
        x.setNumRound(spec.intParam("numRound"));
        x.setMaxDepth(spec.intParam("maxDepth"));
        x.setEta(spec.doubleParam("eta"));
        x.setSubsample(spec.doubleParam("subsample"));
        x.setColsampleBytree(spec.doubleParam("colsampleBytree"));
        // One worker: a barrier stage of several workers can starve concurrent zoo fits on a
        // small executor pool; the booster itself uses nthread cores. ZooTrainer orders the rows.
        XgboostRows.readOneOrderedPartition(x);
        x.setNthread(XgboostThreads.allowed(spec.intParam("nthread")));
        x.setSeed(seed);
        x.setFeaturesCol(Columns.FEATURES);
        x.setLabelCol(Columns.LABEL_INDEX);
        x.setProbabilityCol(Columns.PROBABILITY);
        x.setRawPredictionCol(RAW);
        x.setPredictionCol(Columns.PREDICTION);
        return x;
    }

    private static StandardScaler scaler() {
        return new StandardScaler().setInputCol(Columns.FEATURES).setOutputCol(SCALED)
                .setWithMean(true).setWithStd(true);
    }

    private static void outputs(org.apache.spark.ml.classification.ProbabilisticClassifier<?, ?, ?> c) {
        c.setLabelCol(Columns.LABEL_INDEX);
        c.setProbabilityCol(Columns.PROBABILITY);
        c.setRawPredictionCol(RAW);
        c.setPredictionCol(Columns.PREDICTION);
    }
}
