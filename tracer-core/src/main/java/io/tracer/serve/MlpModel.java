package io.tracer.serve;

/**
 * MLlib's multilayer perceptron behind its standard scaler. Each layer is an affine map
 * {@code W x + b} (W stored out x in, row-major here) followed by a sigmoid, except the last,
 * whose output is the raw column; softmax gives the probability. The scaler multiplies by
 * 1/std, as StandardScalerModel does (a zero std scales to 0).
 */
final class MlpModel implements Classifier {
    private final double[] mean;
    private final double[] scale;
    private final double[][][] weights;
    private final double[][] biases;

    /**
     * @param mean    the scaler's mean (centring), or null when the pipeline has no scaler
     * @param std     the scaler's standard deviation, or null
     * @param weights per layer, out x in
     * @param biases  per layer, out
     */
    MlpModel(double[] mean, double[] std, double[][][] weights, double[][] biases) {
        this.mean = mean;
        if (std == null) {
            this.scale = null;
        } else {
            this.scale = new double[std.length];
            for (int i = 0; i < std.length; i++) {
                scale[i] = std[i] == 0 ? 0.0 : 1.0 / std[i];
            }
        }
        this.weights = weights;
        this.biases = biases;
    }

    @Override
    public Output predict(double[] x) {
        double[] a = x;
        if (mean != null) {
            a = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                a[i] = (x[i] - mean[i]) * scale[i];
            }
        }
        for (int l = 0; l < weights.length; l++) {
            double[][] w = weights[l];
            double[] b = biases[l];
            double[] out = new double[b.length];
            for (int i = 0; i < out.length; i++) {
                double[] row = w[i];
                double s = b[i];
                for (int j = 0; j < row.length; j++) {
                    s += row[j] * a[j];
                }
                out[i] = l < weights.length - 1 ? 1.0 / (1 + Math.exp(-s)) : s;
            }
            a = out;
        }
        int prediction = MlMath.argmax(a);
        MlMath.mlpSoftmaxInPlace(a);
        return new Output(a, prediction);
    }

    @Override
    public int outputs() {
        return biases[biases.length - 1].length;
    }

    @Override
    public int dimension() {
        return weights[0][0].length;
    }
}
