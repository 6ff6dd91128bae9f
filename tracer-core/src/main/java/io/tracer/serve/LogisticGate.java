package io.tracer.serve;

/**
 * Binomial logistic regression over the four confidence features, followed by the neighbour
 * input when the gate has one: P(agree) = {@code 1 / (1 + exp(-(w . f + b)))}, MLlib's
 * probability of class 1.
 */
final class LogisticGate implements Gate {
    private final double[] coefficients;
    private final double intercept;
    /** Null when the gate reads the confidence features only. */
    private final NeighbourPurity neighbours;

    LogisticGate(double[] coefficients, double intercept, NeighbourPurity neighbours) {
        int expected = Confidence.FEATURES + (neighbours == null ? 0 : 1);
        if (coefficients.length != expected) {
            throw new RouterException("logistic gate: expected " + expected + " coefficients (confidence features"
                    + (neighbours == null ? "" : " and neighbour purity") + "), got " + coefficients.length);
        }
        this.coefficients = coefficients;
        this.intercept = intercept;
        this.neighbours = neighbours;
    }

    @Override
    public void score(double[] probability, int k, FeatureRows rows, Workspace workspace, double[] scores,
                      String[] unscorable) {
        double logK = StrictMath.log((double) k);
        double[] f = new double[coefficients.length];
        float[] query = neighbours == null ? null : workspace.floats(Workspace.NEIGHBOUR_QUERY, rows.dim());
        for (int i = 0; i < rows.n(); i++) {
            Confidence.into(probability, i * k, k, logK, f, 0);
            if (neighbours != null) {
                f[Confidence.FEATURES] = neighbours.ofRaw(rows.floats(), i, probability, i * k, k, query);
            }
            double dot = 0.0;
            for (int j = 0; j < f.length; j++) {
                dot += f[j] * coefficients[j];
            }
            scores[i] = MlMath.sigmoid(dot + intercept);
        }
    }
}
