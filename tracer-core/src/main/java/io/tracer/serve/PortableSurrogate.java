package io.tracer.serve;

/**
 * A surrogate over the policy's whole label space. A model that only knows the labels it saw
 * (gaussian naive Bayes fitted on a fold lacking some) has its outputs spread over the label
 * space as {@code SurrogateModel.predict} does: unseen labels get probability 0.
 *
 * @param classes label index of each model output, or null when the outputs are the label space
 */
record PortableSurrogate(String name, Classifier model, int[] classes, int numLabels) {

    /** Probability over the label space and the predicted label index. */
    Classifier.Output predict(double[] x) {
        Classifier.Output out = model.predict(x);
        if (classes == null) {
            return out;
        }
        double[] full = new double[numLabels];
        double[] p = out.probability();
        for (int i = 0; i < classes.length; i++) {
            full[classes[i]] = p[i];
        }
        return new Classifier.Output(full, classes[out.prediction()]);
    }
}
