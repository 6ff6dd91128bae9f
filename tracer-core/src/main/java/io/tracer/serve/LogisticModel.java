package io.tracer.serve;

import io.tracer.kernel.DenseMath;

/**
 * Multinomial logistic regression: margins {@code b_k + sum_j w_kj x_j} for the whole block in
 * one {@link DenseMath#affine} call, softmax for the probability, argmax of the margins for the
 * prediction (MLlib predicts from the raw column).
 */
final class LogisticModel implements Classifier {
    private final double[] weights;
    private final double[] intercepts;
    private final int dimension;
    private final DenseMath math;

    /** @param coefficients K x D, one row per class */
    LogisticModel(double[][] coefficients, double[] intercepts, DenseMath math) {
        if (coefficients.length != intercepts.length || coefficients.length == 0) {
            throw new IllegalArgumentException("logistic model: " + coefficients.length + " coefficient rows but "
                    + intercepts.length + " intercepts");
        }
        this.weights = Dense.flatten(coefficients);
        this.intercepts = intercepts;
        this.dimension = coefficients[0].length;
        this.math = math;
    }

    @Override
    public void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction) {
        int n = rows.n();
        int k = intercepts.length;
        math.affine(rows.doubles(), n, dimension, weights, intercepts, k, probability);
        for (int i = 0; i < n; i++) {
            prediction[i] = MlMath.argmax(probability, i * k, k);
            MlMath.softmaxInPlace(probability, i * k, k);
        }
    }

    @Override
    public int outputs() {
        return intercepts.length;
    }

    @Override
    public int dimension() {
        return dimension;
    }
}
