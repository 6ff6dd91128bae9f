package io.tracer.serve;

import io.tracer.kernel.DenseMath;

/**
 * Gaussian naive Bayes as MLlib scores it: {@code pi_i - (sum_j (x_j - theta_ij)^2 / sigma_ij
 * + sum_j ln sigma_ij) / 2}, then softmax. The sums over j are one
 * {@link DenseMath#scaledSquares} call for the block.
 */
final class GaussianNbModel implements Classifier {
    private final double[] pi;
    private final double[] theta;
    private final double[] sigma;
    private final double[] logVarSum;
    private final int dimension;
    private final DenseMath math;

    GaussianNbModel(double[] pi, double[][] theta, double[][] sigma, DenseMath math) {
        this.pi = pi;
        this.theta = Dense.flatten(theta);
        this.sigma = Dense.flatten(sigma);
        this.dimension = theta[0].length;
        this.logVarSum = new double[pi.length];
        for (int i = 0; i < pi.length; i++) {
            double s = 0.0;
            for (double v : sigma[i]) {
                s += Math.log(v);
            }
            logVarSum[i] = s;
        }
        this.math = math;
    }

    @Override
    public void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction) {
        int n = rows.n();
        int k = pi.length;
        math.scaledSquares(rows.doubles(), n, dimension, theta, sigma, k, probability);
        for (int i = 0; i < n; i++) {
            int off = i * k;
            for (int c = 0; c < k; c++) {
                probability[off + c] = pi[c] - (probability[off + c] + logVarSum[c]) / 2;
            }
            prediction[i] = MlMath.argmax(probability, off, k);
            MlMath.softmaxInPlace(probability, off, k);
        }
    }

    @Override
    public int outputs() {
        return pi.length;
    }

    @Override
    public int dimension() {
        return dimension;
    }
}
