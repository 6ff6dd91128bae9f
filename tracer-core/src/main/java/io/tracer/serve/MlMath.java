package io.tracer.serve;

/**
 * The few numeric kernels MLlib applies after a model's raw scores, written out loop by loop in
 * MLlib's order (same comparisons, same reductions) so the router lands on the same doubles.
 * Each works on one row of a row-major block: {@code k} values from {@code off}.
 */
final class MlMath {
    private MlMath() {}

    /**
     * MLlib's {@code ml.impl.Utils.softmax} (logistic regression, naive Bayes): subtract the max,
     * exponentiate, then scale by the reciprocal of the sum. A +Infinity takes all the mass.
     */
    static void softmaxInPlace(double[] v, int off, int k) {
        double max = -Double.MAX_VALUE;
        int end = off + k;
        for (int i = off; i < end; i++) {
            double x = v[i];
            if (x == Double.POSITIVE_INFINITY) {
                java.util.Arrays.fill(v, off, end, 0.0);
                v[i] = 1.0;
                return;
            } else if (x > max) {
                max = x;
            }
        }
        double sum = 0.0;
        for (int i = off; i < end; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        double scale = 1.0 / sum;
        for (int i = off; i < end; i++) {
            v[i] = scale * v[i];
        }
    }

    /** The MLP's output layer (SoftmaxLayerModelWithCrossEntropyLoss.eval): divides by the sum. */
    static void mlpSoftmaxInPlace(double[] v, int off, int k) {
        double max = -Double.MAX_VALUE;
        int end = off + k;
        for (int i = off; i < end; i++) {
            if (v[i] > max) {
                max = v[i];
            }
        }
        double sum = 0.0;
        for (int i = off; i < end; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        for (int i = off; i < end; i++) {
            v[i] /= sum;
        }
    }

    /** ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace (tree models). */
    static void normaliseInPlace(double[] v, int off, int k) {
        double sum = 0.0;
        int end = off + k;
        for (int i = off; i < end; i++) {
            sum += v[i];
        }
        if (sum != 0) {
            for (int i = off; i < end; i++) {
                v[i] = v[i] / sum;
            }
        }
    }

    /** The logistic function as MLlib's binomial regression and MLP hidden layers write it. */
    static double sigmoid(double margin) {
        return 1.0 / (1.0 + Math.exp(-margin));
    }

    /**
     * DenseVector.argmax over {@code k} values from {@code off}: the first index (0-based within
     * the row) of the largest value (NaN never wins a comparison).
     */
    static int argmax(double[] v, int off, int k) {
        if (k == 0) {
            return -1;
        }
        int best = 0;
        double max = v[off];
        for (int i = 1; i < k; i++) {
            if (v[off + i] > max) {
                best = i;
                max = v[off + i];
            }
        }
        return best;
    }
}
