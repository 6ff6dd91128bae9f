package io.tracer.serve;

import java.util.List;

/**
 * A decision tree or a random forest as node arrays. A row goes left when
 * {@code x[feature] <= threshold} (MLlib's continuous split; NaN goes right). The tree's raw
 * output is its leaf's class counts; the forest's is the sum over trees of each leaf's counts
 * divided by their total, as RandomForestClassificationModel.predictRaw. Both then normalise to
 * the probability and predict the argmax of the raw output. Trees branch per row, so a block is
 * scored row by row.
 */
final class TreeEnsembleModel implements Classifier {

    /**
     * One tree; node 0 is the root. Leaves have {@code feature = -1} and carry their non-zero
     * class counts in ascending class order (the order MLlib sums them in).
     */
    record Tree(int[] feature, double[] threshold, int[] left, int[] right, int[][] leafClasses,
                double[][] leafCounts) {
        /** The leaf of the row whose features start at {@code x[off]}. */
        int leaf(double[] x, int off) {
            int n = 0;
            while (feature[n] >= 0) {
                n = x[off + feature[n]] <= threshold[n] ? left[n] : right[n];
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
    public void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction) {
        double[] x = rows.doubles();
        for (int i = 0; i < rows.n(); i++) {
            int off = i * numClasses;
            java.util.Arrays.fill(probability, off, off + numClasses, 0.0);
            for (Tree t : trees) {
                add(t, t.leaf(x, i * dimension), probability, off);
            }
            prediction[i] = MlMath.argmax(probability, off, numClasses);
            MlMath.normaliseInPlace(probability, off, numClasses);
        }
    }

    private void add(Tree t, int leaf, double[] raw, int off) {
        int[] classes = t.leafClasses()[leaf];
        double[] counts = t.leafCounts()[leaf];
        if (!forest) {
            for (int i = 0; i < classes.length; i++) {
                raw[off + classes[i]] = counts[i];
            }
            return;
        }
        double total = 0.0;
        for (double c : counts) {
            total += c;
        }
        if (total != 0) {
            for (int i = 0; i < classes.length; i++) {
                raw[off + classes[i]] += counts[i] / total;
            }
        }
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
