package io.tracer.policy.export;

import io.tracer.serve.PortableFormat;
import io.tracer.zoo.SurrogateModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.NaiveBayesModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The surrogate's section of the portable export, read off the fitted MLlib pipeline. */
final class SurrogateExport {
    private SurrogateExport() {}

    static ExportedModel of(SurrogateModel surrogate) {
        String name = surrogate.spec().name();
        Transformer[] stages = surrogate.pipeline().stages();
        StandardScalerModel scaler = null;
        Transformer last = stages[stages.length - 1];
        for (int i = 0; i < stages.length - 1; i++) {
            if (stages[i] instanceof StandardScalerModel s && scaler == null) {
                scaler = s;
            } else {
                throw unsupported(name, "pipeline stage " + stages[i].getClass().getSimpleName());
            }
        }
        if (scaler != null && !(last instanceof MultilayerPerceptronClassificationModel)) {
            throw unsupported(name, "a standard scaler before " + last.getClass().getSimpleName());
        }
        if (last instanceof ProbabilisticClassificationModel<?, ?> p && p.isDefined(p.thresholds())) {
            // With class thresholds MLlib predicts from rescaled probabilities; the router does not.
            throw unsupported(name, "class thresholds are set");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(PortableFormat.NAME, name);
        json.put("num_labels", surrogate.labels().size());
        json.put("classes", surrogate.classes().orElse(null));
        Map<String, ExportedModel.NativeFile> files = new LinkedHashMap<>();
        if (last instanceof LogisticRegressionModel lr) {
            logistic(name, lr, json);
        } else if (last instanceof MultilayerPerceptronClassificationModel mlp) {
            mlp(mlp, scaler, json);
        } else if (last instanceof NaiveBayesModel nb) {
            naiveBayes(name, nb, json);
        } else if (last instanceof RandomForestClassificationModel rf) {
            trees(name, true, rf.trees(), rf.numClasses(), rf.numFeatures(), json);
        } else if (last instanceof DecisionTreeClassificationModel dt) {
            trees(name, false, new DecisionTreeClassificationModel[] {dt}, dt.numClasses(), dt.numFeatures(), json);
        } else if (last instanceof XGBoostClassificationModel x) {
            xgboost(name, x, json, files);
        } else {
            throw unsupported(name, "model " + last.getClass().getName());
        }
        return new ExportedModel(json, files);
    }

    private static void logistic(String name, LogisticRegressionModel lr, Map<String, Object> json) {
        Matrix w = lr.coefficientMatrix();
        if (w.numRows() == 1 && lr.numClasses() == 2) {
            throw unsupported(name, "binomial logistic regression as a surrogate (the zoo fits multinomial)");
        }
        json.put(PortableFormat.KIND, PortableFormat.LOGISTIC);
        json.put("num_features", lr.numFeatures());
        json.put("coefficients", rows(w));
        json.put("intercepts", lr.interceptVector().toArray());
    }

    private static void mlp(MultilayerPerceptronClassificationModel mlp, StandardScalerModel scaler,
                            Map<String, Object> json) {
        json.put(PortableFormat.KIND, PortableFormat.MLP);
        json.put("num_features", mlp.numFeatures());
        if (scaler != null) {
            // Without centring or scaling the stored mean/std would be applied wrongly.
            if (!scaler.getWithMean() || !scaler.getWithStd()) {
                throw unsupported("mlp", "a scaler without both mean and std");
            }
            json.put("scaler_mean", scaler.mean().toArray());
            json.put("scaler_std", scaler.std().toArray());
        }
        json.put("layers", mlp.getLayers());
        // MLlib's own flat layout; the router decodes it (FeedForwardTopology: per layer W then b).
        json.put("weights", mlp.weights().toArray());
    }

    private static void naiveBayes(String name, NaiveBayesModel nb, Map<String, Object> json) {
        if (!"gaussian".equals(nb.getModelType())) {
            throw unsupported(name, "naive Bayes model type " + nb.getModelType() + " (only gaussian is exported)");
        }
        json.put(PortableFormat.KIND, PortableFormat.NAIVE_BAYES);
        json.put("num_features", nb.numFeatures());
        json.put("pi", nb.pi().toArray());
        json.put("theta", rows(nb.theta()));
        json.put("sigma", rows(nb.sigma()));
    }

    private static void trees(String name, boolean forest, DecisionTreeClassificationModel[] trees, int numClasses,
                              int numFeatures, Map<String, Object> json) {
        json.put(PortableFormat.KIND, PortableFormat.TREES);
        json.put("forest", forest);
        json.put("num_classes", numClasses);
        json.put("num_features", numFeatures);
        List<Map<String, Object>> out = new ArrayList<>();
        for (DecisionTreeClassificationModel t : trees) {
            out.add(new TreeNodes(name).flatten(t.rootNode()));
        }
        json.put("trees", out);
    }

    private static void xgboost(String name, XGBoostClassificationModel x, Map<String, Object> json,
                                Map<String, ExportedModel.NativeFile> files) {
        if (!"multi:softprob".equals(x.getObjective())) {
            throw unsupported(name, "XGBoost objective " + x.getObjective() + " (only multi:softprob is exported)");
        }
        if (!Float.isNaN(x.getMissing())) {
            throw unsupported(name, "XGBoost missing value " + x.getMissing() + " (the router treats NaN as missing)");
        }
        json.put(PortableFormat.KIND, PortableFormat.XGBOOST);
        try {
            // The Spark model does not know its feature count (numFeatures is -1); the booster does.
            json.put("num_features", x.nativeBooster().getNumFeature());
        } catch (ml.dmlc.xgboost4j.java.XGBoostError e) {
            throw new io.tracer.TracerException("surrogate " + name + ": cannot read the booster's feature count: "
                    + e.getMessage(), e);
        }
        json.put("num_classes", x.numClasses());
        json.put("file", PortableFormat.SURROGATE_BOOSTER);
        files.put(PortableFormat.SURROGATE_BOOSTER, out -> x.nativeBooster().saveModel(out, "ubj"));
    }

    /** A matrix as rows of doubles, whatever MLlib's internal (column/row-major, sparse) storage. */
    static double[][] rows(Matrix m) {
        double[][] out = new double[m.numRows()][m.numCols()];
        for (int i = 0; i < m.numRows(); i++) {
            for (int j = 0; j < m.numCols(); j++) {
                out[i][j] = m.apply(i, j);
            }
        }
        return out;
    }

    static UnsupportedExportException unsupported(String name, String what) {
        return new UnsupportedExportException("surrogate " + name + " cannot be exported for the Spark-free router: "
                + what + " is not supported");
    }

    /** Flattens a tree into node arrays in pre-order; node 0 is the root. */
    private static final class TreeNodes {
        private final String name;
        private final List<Integer> feature = new ArrayList<>();
        private final List<Double> threshold = new ArrayList<>();
        private final List<Integer> left = new ArrayList<>();
        private final List<Integer> right = new ArrayList<>();
        private final List<int[]> leafClasses = new ArrayList<>();
        private final List<double[]> leafCounts = new ArrayList<>();

        TreeNodes(String name) {
            this.name = name;
        }

        Map<String, Object> flatten(Node root) {
            visit(root);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("feature", feature);
            t.put("threshold", threshold);
            t.put("left", left);
            t.put("right", right);
            t.put("leaf_classes", leafClasses);
            t.put("leaf_counts", leafCounts);
            return t;
        }

        private int visit(Node node) {
            int id = feature.size();
            feature.add(-1);
            threshold.add(0.0);
            left.add(-1);
            right.add(-1);
            leafClasses.add(new int[0]);
            leafCounts.add(new double[0]);
            if (node instanceof InternalNode in) {
                if (in.split() instanceof CategoricalSplit) {
                    throw unsupported(name, "a categorical split");
                }
                ContinuousSplit split = (ContinuousSplit) in.split();
                feature.set(id, split.featureIndex());
                threshold.set(id, split.threshold());
                int l = visit(in.leftChild());
                left.set(id, l);
                int r = visit(in.rightChild());
                right.set(id, r);
            } else {
                // The leaf's class counts: MLlib's raw output of a tree (normalised later).
                double[] stats = ((LeafNode) node).impurityStats().stats();
                int nonZero = 0;
                for (double s : stats) {
                    if (s != 0) {
                        nonZero++;
                    }
                }
                int[] classes = new int[nonZero];
                double[] counts = new double[nonZero];
                for (int c = 0, k = 0; c < stats.length; c++) {
                    if (stats[c] != 0) {
                        classes[k] = c;
                        counts[k++] = stats[c];
                    }
                }
                leafClasses.set(id, classes);
                leafCounts.set(id, counts);
            }
            return id;
        }
    }
}
