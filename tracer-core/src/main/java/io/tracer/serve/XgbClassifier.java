package io.tracer.serve;

/**
 * An XGBoost multiclass surrogate (multi:softprob): the booster's float probabilities for the
 * whole block in one prediction call, widened to double; prediction = argmax of the probability,
 * as xgboost4j-spark's classification model.
 */
final class XgbClassifier implements Classifier {
    private final XgbBooster booster;
    private final int numClasses;

    XgbClassifier(XgbBooster booster, int numClasses) {
        this.booster = booster;
        this.numClasses = numClasses;
    }

    @Override
    public void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction) {
        int n = rows.n();
        float[][] p = booster.predict(rows.exactFloats(), n);
        for (int i = 0; i < n; i++) {
            int off = i * numClasses;
            float[] row = p[i];
            if (numClasses == 2 && row.length == 1) {
                probability[off] = 1.0 - row[0];
                probability[off + 1] = row[0];
            } else {
                if (row.length != numClasses) {
                    throw new RouterException("XGBoost surrogate gives " + row.length + " outputs per row, expected "
                            + numClasses);
                }
                for (int c = 0; c < row.length; c++) {
                    probability[off + c] = row[c];
                }
            }
            prediction[i] = MlMath.argmax(probability, off, numClasses);
        }
    }

    @Override
    public int outputs() {
        return numClasses;
    }

    @Override
    public int dimension() {
        return booster.dimension();
    }
}
