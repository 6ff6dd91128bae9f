package io.tracer.serve;

/**
 * A surrogate model's forward pass over a block of rows: MLlib's probability column and
 * prediction for each row.
 */
interface Classifier {

    /**
     * @param rows        the block (features = the embedding)
     * @param probability n x {@link #outputs()} values, row-major (written)
     * @param prediction  n predicted output indices (written)
     */
    void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction);

    /** Size of the probability vector (the model's outputs, not necessarily the label space). */
    int outputs();

    /** Feature dimension the model reads. */
    int dimension();
}
