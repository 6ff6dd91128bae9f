package io.tracer.serve;

/**
 * Binomial logistic regression over the four confidence features: P(agree) =
 * {@code 1 / (1 + exp(-(w . f + b)))}, MLlib's probability of class 1.
 */
final class LogisticGate implements Gate {
    private final double[] coefficients;
    private final double intercept;

    LogisticGate(double[] coefficients, double intercept) {
        if (coefficients.length != Confidence.FEATURES) {
            throw new RouterException("logistic gate: expected 4 coefficients (confidence features), got "
                    + coefficients.length);
        }
        this.coefficients = coefficients;
        this.intercept = intercept;
    }

    @Override
    public void score(double[] probability, int k, FeatureRows rows, Workspace workspace, double[] scores,
                      String[] unscorable) {
        double logK = StrictMath.log((double) k);
        double[] f = new double[Confidence.FEATURES];
        for (int i = 0; i < rows.n(); i++) {
            Confidence.into(probability, i * k, k, logK, f, 0);
            double dot = 0.0;
            for (int j = 0; j < f.length; j++) {
                dot += f[j] * coefficients[j];
            }
            scores[i] = MlMath.sigmoid(dot + intercept);
        }
    }
}
