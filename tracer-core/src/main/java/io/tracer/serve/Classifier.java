package io.tracer.serve;

/** A surrogate model's forward pass: MLlib's probability column and prediction for one row. */
interface Classifier {

    /** What MLlib's transform puts in the probability and prediction columns. */
    record Output(double[] probability, int prediction) {}

    /** @param x the feature vector (the embedding widened to double) */
    Output predict(double[] x);

    /** Size of the probability vector (the model's outputs, not necessarily the label space). */
    int outputs();

    /** Feature dimension the model reads. */
    int dimension();
}
