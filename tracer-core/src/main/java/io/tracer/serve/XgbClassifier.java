package io.tracer.serve;

/**
 * An XGBoost multiclass surrogate (multi:softprob): the booster's float probabilities widened to
 * double, prediction = argmax of the probability, as xgboost4j-spark's classification model.
 */
final class XgbClassifier implements Classifier {
    private final XgbBooster booster;
    private final int numClasses;

    XgbClassifier(XgbBooster booster, int numClasses) {
        this.booster = booster;
        this.numClasses = numClasses;
    }

    @Override
    public Output predict(double[] x) {
        float[] row = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            row[i] = (float) x[i];
        }
        float[] p = booster.predict(row, 1)[0];
        double[] probability;
        if (numClasses == 2 && p.length == 1) {
            probability = new double[] {1.0 - p[0], p[0]};
        } else {
            probability = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                probability[i] = p[i];
            }
        }
        return new Output(probability, MlMath.argmax(probability));
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
