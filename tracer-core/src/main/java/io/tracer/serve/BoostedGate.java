package io.tracer.serve;

/**
 * XGBoost (binary:logistic) over the confidence features, the neighbour input when the gate has
 * one, then the embedding: the vector the Spark gate's VectorAssembler builds; the score is the booster's P(agree) widened to double.
 * The block's rows go to the booster in one prediction call.
 *
 * <p>VectorAssembler emits a sparse vector when fewer than about two thirds of the values are
 * non-zero, and xgboost4j-spark then reads it through a different path. Embeddings are dense, so
 * this never happens with a sentence encoder; when it would, the row is marked unscorable and
 * deferred with the reason rather than scored in a way that might differ from the fit's.
 */
final class BoostedGate implements Gate {
    private final XgbBooster booster;
    /** Null when the gate has no neighbour input. */
    private final NeighbourPurity neighbours;

    BoostedGate(XgbBooster booster, NeighbourPurity neighbours) {
        this.booster = booster;
        this.neighbours = neighbours;
    }

    @Override
    public void score(double[] probability, int k, FeatureRows rows, Workspace workspace, double[] scores,
                      String[] unscorable) {
        int n = rows.n();
        int dim = rows.dim();
        int head = Confidence.FEATURES + (neighbours == null ? 0 : 1);
        int size = head + dim;
        if (size != booster.dimension()) {
            throw new RouterException("boosted gate reads " + booster.dimension() + " features, got " + size);
        }
        float[] x = rows.floats();
        double logK = StrictMath.log((double) k);
        double[] f = new double[Confidence.FEATURES];
        float[] input = workspace.floats(Workspace.GATE_INPUT, n * size);
        int[] scored = workspace.ints(Workspace.GATE_ROWS, n);
        float[] query = neighbours == null ? null : workspace.floats(Workspace.NEIGHBOUR_QUERY, dim);
        int m = 0;
        for (int i = 0; i < n; i++) {
            Confidence.into(probability, i * k, k, logK, f, 0);
            int at = m * size;
            int nonZero = 0;
            for (int j = 0; j < Confidence.FEATURES; j++) {
                input[at + j] = (float) f[j];
                nonZero += f[j] != 0.0 ? 1 : 0;
            }
            if (neighbours != null) {
                // VectorAssembler widens the double column; XGBoost narrows the vector to float32.
                float purity = (float) neighbours.ofRaw(x, i, probability, i * k, k, query);
                input[at + Confidence.FEATURES] = purity;
                nonZero += purity != 0.0f ? 1 : 0;
            }
            for (int j = 0, from = i * dim; j < dim; j++) {
                float v = x[from + j];
                input[at + head + j] = v;
                nonZero += v != 0.0f ? 1 : 0;
            }
            // Vector.compressed's rule: sparse when 1.5 * (nnz + 1) < size.
            if (1.5 * (nonZero + 1.0) < size) {
                scores[i] = Double.NaN;
                unscorable[i] = "boosted gate input has only " + nonZero + " non-zero values of " + size
                        + "; Spark would pass it to XGBoost as a sparse vector, which this router does not reproduce";
            } else {
                scored[m++] = i;
            }
        }
        if (m == 0) {
            return;
        }
        float[] exact = input.length == m * size ? input : java.util.Arrays.copyOf(input, m * size);
        float[][] p = booster.predict(exact, m);
        for (int r = 0; r < m; r++) {
            scores[scored[r]] = p[r][0];
        }
    }
}
