package io.tracer.serve;

/**
 * A surrogate over the policy's whole label space. A model that only knows the labels it saw
 * (gaussian naive Bayes fitted on a fold lacking some) has its outputs spread over the label
 * space as {@code SurrogateModel.predict} does: unseen labels get probability 0.
 *
 * @param classes label index of each model output, or null when the outputs are the label space
 */
record PortableSurrogate(String name, Classifier model, int[] classes, int numLabels) {

    /**
     * Probabilities over the label space and the predicted label index of every row.
     *
     * @param probability n x numLabels (written)
     * @param prediction  n label indices (written)
     */
    void predict(FeatureRows rows, Workspace workspace, double[] probability, int[] prediction) {
        if (classes == null) {
            model.predict(rows, workspace, probability, prediction);
            return;
        }
        int n = rows.n();
        int outs = classes.length;
        double[] own = workspace.doubles(Workspace.MODEL_OUTPUTS, n * outs);
        model.predict(rows, workspace, own, prediction);
        java.util.Arrays.fill(probability, 0, n * numLabels, 0.0);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < outs; c++) {
                probability[i * numLabels + classes[c]] = own[i * outs + c];
            }
            prediction[i] = classes[prediction[i]];
        }
    }
}
