package io.tracer.serve;

/**
 * Multinomial logistic regression: margins {@code b_k + sum_j w_kj x_j} (accumulated from the
 * intercept, as MLlib's gemv does), softmax for the probability, argmax of the margins for the
 * prediction (MLlib predicts from the raw column).
 */
final class LogisticModel implements Classifier {
    private final double[][] coefficients;
    private final double[] intercepts;

    LogisticModel(double[][] coefficients, double[] intercepts) {
        if (coefficients.length != intercepts.length || coefficients.length == 0) {
            throw new IllegalArgumentException("logistic model: " + coefficients.length + " coefficient rows but "
                    + intercepts.length + " intercepts");
        }
        this.coefficients = coefficients;
        this.intercepts = intercepts;
    }

    @Override
    public Output predict(double[] x) {
        double[] m = new double[intercepts.length];
        for (int k = 0; k < m.length; k++) {
            double[] w = coefficients[k];
            double s = intercepts[k];
            for (int j = 0; j < w.length; j++) {
                s += w[j] * x[j];
            }
            m[k] = s;
        }
        int prediction = MlMath.argmax(m);
        MlMath.softmaxInPlace(m);
        return new Output(m, prediction);
    }

    @Override
    public int outputs() {
        return intercepts.length;
    }

    @Override
    public int dimension() {
        return coefficients[0].length;
    }
}
