package io.tracer.serve;

import java.util.List;

/**
 * A decision tree or a random forest as node arrays. A row goes left when
 * {@code x[feature] <= threshold} (MLlib's continuous split; NaN goes right). The tree's raw
 * output is its leaf's class counts; the forest's is the sum over trees of each leaf's counts
 * divided by their total, as RandomForestClassificationModel.predictRaw. Both then normalise to
 * the probability and predict the argmax of the raw output.
 */
final class TreeEnsembleModel implements Classifier {

    /**
     * One tree; node 0 is the root. Leaves have {@code feature = -1} and carry their non-zero
     * class counts in ascending class order (the order MLlib sums them in).
     */
    record Tree(int[] feature, double[] threshold, int[] left, int[] right, int[][] leafClasses,
                double[][] leafCounts) {
        int leaf(double[] x) {
            int n = 0;
            while (feature[n] >= 0) {
                n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
            }
            return n;
        }
    }

    private final boolean forest;
    private final int numClasses;
    private final int dimension;
    private final Tree[] trees;

    TreeEnsembleModel(boolean forest, int numClasses, int dimension, List<Tree> trees) {
        if (trees.isEmpty() || (!forest && trees.size() != 1)) {
            throw new IllegalArgumentException((forest ? "forest" : "tree") + " with " + trees.size() + " trees");
        }
        this.forest = forest;
        this.numClasses = numClasses;
        this.dimension = dimension;
        this.trees = trees.toArray(new Tree[0]);
    }

    @Override
    public Output predict(double[] x) {
        double[] raw = new double[numClasses];
        for (Tree t : trees) {
            int leaf = t.leaf(x);
            int[] classes = t.leafClasses()[leaf];
            double[] counts = t.leafCounts()[leaf];
            if (!forest) {
                for (int i = 0; i < classes.length; i++) {
                    raw[classes[i]] = counts[i];
                }
                continue;
            }
            double total = 0.0;
            for (double c : counts) {
                total += c;
            }
            if (total != 0) {
                for (int i = 0; i < classes.length; i++) {
                    raw[classes[i]] += counts[i] / total;
                }
            }
        }
        int prediction = MlMath.argmax(raw);
        MlMath.normaliseInPlace(raw);
        return new Output(raw, prediction);
    }

    @Override
    public int outputs() {
        return numClasses;
    }

    @Override
    public int dimension() {
        return dimension;
    }
}
