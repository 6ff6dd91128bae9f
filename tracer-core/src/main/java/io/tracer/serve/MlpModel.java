package io.tracer.serve;

import io.tracer.kernel.DenseMath;

/**
 * MLlib's multilayer perceptron behind its standard scaler. Each layer is an affine map
 * {@code W a + b} over the whole block (W stored out x in, row-major) followed by a sigmoid,
 * except the last, whose output is the raw column; softmax gives the probability. The scaler
 * multiplies by 1/std, as StandardScalerModel does (a zero std scales to 0).
 */
final class MlpModel implements Classifier {
    private final double[] mean;
    private final double[] scale;
    /** Per layer: out x in weights, row-major. */
    private final double[][] weights;
    private final double[][] biases;
    private final int dimension;
    private final DenseMath math;

    /**
     * @param mean    the scaler's mean (centring), or null when the pipeline has no scaler
     * @param std     the scaler's standard deviation, or null
     * @param weights per layer, out x in
     * @param biases  per layer, out
     */
    MlpModel(double[] mean, double[] std, double[][][] weights, double[][] biases, DenseMath math) {
        this.mean = mean;
        if (std == null) {
            this.scale = null;
        } else {
            this.scale = new double[std.length];
            for (int i = 0; i < std.length; i++) {
                scale[i] = std[i] == 0 ? 0.0 : 1.0 / std[i];
            }
        }
        this.weights = new double[weights.length][];
        for (int l = 0; l < weights.length; l++) {
            this.weights[l] = Dense.flatten(weights[l]);
        }
        this.biases = biases;
        this.dimension = weights[0][0].length;
        this.math = math;
    }

    @Override
    public void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction) {
        int n = rows.n();
        double[] a = rows.doubles();
        if (mean != null) {
            double[] scaled = workspace.doubles(Workspace.SCALED, n * dimension);
            for (int i = 0; i < n; i++) {
                for (int j = 0, at = i * dimension; j < dimension; j++, at++) {
                    scaled[at] = (a[at] - mean[j]) * scale[j];
                }
            }
            a = scaled;
        }
        int width = dimension;
        int last = weights.length - 1;
        for (int l = 0; l <= last; l++) {
            int outs = biases[l].length;
            double[] out = l == last ? probability
                    : workspace.doubles(l % 2 == 0 ? Workspace.LAYER_A : Workspace.LAYER_B, n * outs);
            math.affine(a, n, width, weights[l], biases[l], outs, out);
            if (l < last) {
                for (int t = 0, size = n * outs; t < size; t++) {
                    out[t] = 1.0 / (1 + Math.exp(-out[t]));
                }
            }
            a = out;
            width = outs;
        }
        int k = outputs();
        for (int i = 0; i < n; i++) {
            prediction[i] = MlMath.argmax(probability, i * k, k);
            MlMath.mlpSoftmaxInPlace(probability, i * k, k);
        }
    }

    @Override
    public int outputs() {
        return biases[biases.length - 1].length;
    }

    @Override
    public int dimension() {
        return dimension;
    }
}
