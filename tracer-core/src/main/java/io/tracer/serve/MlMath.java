package io.tracer.serve;

/**
 * The few numeric kernels MLlib applies after a model's raw scores, written out loop by loop in
 * MLlib's order (same comparisons, same reductions) so the router lands on the same doubles.
 */
final class MlMath {
    private MlMath() {}

    /**
     * MLlib's {@code ml.impl.Utils.softmax} (logistic regression, naive Bayes): subtract the max,
     * exponentiate, then scale by the reciprocal of the sum. A +Infinity takes all the mass.
     */
    static void softmaxInPlace(double[] v) {
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (x == Double.POSITIVE_INFINITY) {
                java.util.Arrays.fill(v, 0.0);
                v[i] = 1.0;
                return;
            } else if (x > max) {
                max = x;
            }
        }
        double sum = 0.0;
        for (int i = 0; i < v.length; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        double scale = 1.0 / sum;
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * v[i];
        }
    }

    /** The MLP's output layer (SoftmaxLayerModelWithCrossEntropyLoss.eval): divides by the sum. */
    static void mlpSoftmaxInPlace(double[] v) {
        double max = -Double.MAX_VALUE;
        for (double x : v) {
            if (x > max) {
                max = x;
            }
        }
        double sum = 0.0;
        for (int i = 0; i < v.length; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= sum;
        }
    }

    /** ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace (tree models). */
    static void normaliseInPlace(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x;
        }
        if (sum != 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] / sum;
            }
        }
    }

    /** The logistic function as MLlib's binomial regression writes it. */
    static double sigmoid(double margin) {
        return 1.0 / (1.0 + Math.exp(-margin));
    }

    /** DenseVector.argmax: the first index of the largest value (NaN never wins a comparison). */
    static int argmax(double[] v) {
        if (v.length == 0) {
            return -1;
        }
        int best = 0;
        double max = v[0];
        for (int i = 1; i < v.length; i++) {
            if (v[i] > max) {
                best = i;
                max = v[i];
            }
        }
        return best;
    }
}
