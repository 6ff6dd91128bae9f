package io.tracer.serve;

/**
 * Gaussian naive Bayes as MLlib scores it: {@code pi_i - (sum_j (x_j - theta_ij)^2 / sigma_ij
 * + sum_j ln sigma_ij) / 2}, then softmax.
 */
final class GaussianNbModel implements Classifier {
    private final double[] pi;
    private final double[][] theta;
    private final double[][] sigma;
    private final double[] logVarSum;

    GaussianNbModel(double[] pi, double[][] theta, double[][] sigma) {
        this.pi = pi;
        this.theta = theta;
        this.sigma = sigma;
        this.logVarSum = new double[pi.length];
        for (int i = 0; i < pi.length; i++) {
            double s = 0.0;
            for (double v : sigma[i]) {
                s += Math.log(v);
            }
            logVarSum[i] = s;
        }
    }

    @Override
    public Output predict(double[] x) {
        double[] raw = new double[pi.length];
        for (int i = 0; i < pi.length; i++) {
            double s = 0.0;
            double[] t = theta[i];
            double[] v = sigma[i];
            for (int j = 0; j < t.length; j++) {
                double d = x[j] - t[j];
                s += d * d / v[j];
            }
            raw[i] = pi[i] - (s + logVarSum[i]) / 2;
        }
        int prediction = MlMath.argmax(raw);
        MlMath.softmaxInPlace(raw);
        return new Output(raw, prediction);
    }

    @Override
    public int outputs() {
        return pi.length;
    }

    @Override
    public int dimension() {
        return theta[0].length;
    }
}
