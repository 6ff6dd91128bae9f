package io.tracer.kernel;

/**
 * The dense loops of block scoring, over row-major double matrices: the affine map of every
 * linear model and MLP layer, and the scaled squared distances of gaussian naive Bayes.
 *
 * <p>Two implementations: {@link ScalarDenseMath}, plain loops that add in index order (the
 * order the Spark-free router always used), and {@code VectorDenseMath}, the JDK's Vector API,
 * which adds lane by lane and then across lanes. They differ only in the order of the additions
 * (and a fused multiply-add where the CPU has one), so their results differ in the last bits at
 * most. {@link DenseMaths#best()} picks one at runtime.
 */
public interface DenseMath {

    /**
     * {@code y[i * outs + o] = b[o] + sum_j x[i * ins + j] * w[o * ins + j]} for every row
     * {@code i < n} and output {@code o < outs}.
     *
     * @param x n x ins rows
     * @param w outs x ins weights, one row per output
     * @param b outs biases
     * @param y n x outs results (written)
     */
    void affine(double[] x, int n, int ins, double[] w, double[] b, int outs, double[] y);

    /**
     * {@code out[i * k + c] = sum_j (x[i * dim + j] - centres[c * dim + j])^2 / divisors[c * dim + j]}.
     *
     * @param x        n x dim rows
     * @param centres  k x dim
     * @param divisors k x dim
     * @param out      n x k results (written)
     */
    void scaledSquares(double[] x, int n, int dim, double[] centres, double[] divisors, int k, double[] out);

    /** What runs, for logs and benchmark output, e.g. "scalar" or "simd (8 doubles per vector)". */
    String describe();
}
