package io.tracer.serve;

/**
 * XGBoost (binary:logistic) over the confidence features followed by the embedding, the vector
 * the Spark gate's VectorAssembler builds; the score is the booster's P(agree) widened to double.
 *
 * <p>VectorAssembler emits a sparse vector when fewer than about two thirds of the values are
 * non-zero, and xgboost4j-spark then reads it through a different path. Embeddings are dense, so
 * this never happens with a sentence encoder; when it would, the row is deferred with the reason
 * rather than scored in a way that might differ from Spark's.
 */
final class BoostedGate implements Gate {
    private final XgbBooster booster;

    BoostedGate(XgbBooster booster) {
        this.booster = booster;
    }

    @Override
    public double score(double[] probability, double[] x) {
        double[] f = Confidence.of(probability);
        int size = f.length + x.length;
        if (size != booster.dimension()) {
            throw new RouterException("boosted gate reads " + booster.dimension() + " features, got " + size);
        }
        float[] row = new float[size];
        int nonZero = 0;
        for (int i = 0; i < size; i++) {
            double v = i < f.length ? f[i] : x[i - f.length];
            row[i] = (float) v;
            if (v != 0.0) {
                nonZero++;
            }
        }
        // Vector.compressed's rule: sparse when 1.5 * (nnz + 1) < size.
        if (1.5 * (nonZero + 1.0) < size) {
            throw new Unroutable("boosted gate input has only " + nonZero + " non-zero values of " + size
                    + "; Spark would pass it to XGBoost as a sparse vector, which this router does not reproduce");
        }
        return booster.predict(row, 1)[0][0];
    }
}
