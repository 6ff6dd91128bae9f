package io.tracer.serve;

/**
 * Binomial logistic regression over the four confidence features: P(agree) =
 * {@code 1 / (1 + exp(-(w . f + b)))}, MLlib's probability of class 1.
 */
final class LogisticGate implements Gate {
    private final double[] coefficients;
    private final double intercept;

    LogisticGate(double[] coefficients, double intercept) {
        if (coefficients.length != 4) {
            throw new RouterException("logistic gate: expected 4 coefficients (confidence features), got "
                    + coefficients.length);
        }
        this.coefficients = coefficients;
        this.intercept = intercept;
    }

    @Override
    public double score(double[] probability, double[] x) {
        double[] f = Confidence.of(probability);
        double dot = 0.0;
        for (int j = 0; j < f.length; j++) {
            dot += f[j] * coefficients[j];
        }
        return MlMath.sigmoid(dot + intercept);
    }
}
