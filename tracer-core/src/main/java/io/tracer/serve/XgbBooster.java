package io.tracer.serve;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;

/**
 * An XGBoost booster read from its native model file with xgboost4j's Java API (no Spark). Rows
 * go in as float32, as xgboost4j-spark converts them; NaN is the missing value, as in its
 * default. Booster prediction is thread-safe, so one instance serves concurrent callers.
 */
final class XgbBooster {
    private final Booster booster;
    private final int dimension;

    private XgbBooster(Booster booster, int dimension) {
        this.booster = booster;
        this.dimension = dimension;
    }

    static XgbBooster load(byte[] model, int dimension, String source) {
        try {
            Booster b = XGBoost.loadModel(model);
            // One thread: the caller's threads (Spark task slots, service threads) are the
            // parallelism, and OpenMP threads on top of them cost more than they save (the fit's
            // nthread is saved with the model). Predictions do not depend on it.
            b.setParam("nthread", 1);
            return new XgbBooster(b, dimension);
        } catch (XGBoostError | IOException e) {
            throw new RouterException("cannot load XGBoost model " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The booster's transformed output (class probabilities, or P(class 1) for binary) per row.
     *
     * @param rowsMajor exactly rows x dimension floats
     */
    float[][] predict(float[] rowsMajor, int rows) {
        try {
            return booster.inplace_predict(rowsMajor, rows, dimension, Float.NaN);
        } catch (XGBoostError e) {
            throw new RouterException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    int dimension() {
        return dimension;
    }
}
