package io.tracer.kernel;

/**
 * {@link DenseMath} in plain Java loops: every sum starts at its bias (or 0) and adds in index
 * order, as the Spark-free router always did, so this path is bit-identical to it. Four outputs
 * are accumulated side by side so their additions overlap in the CPU; each one's order is
 * unchanged.
 */
public final class ScalarDenseMath implements DenseMath {
    public static final ScalarDenseMath INSTANCE = new ScalarDenseMath();

    private ScalarDenseMath() {}

    @Override
    public void affine(double[] x, int n, int ins, double[] w, double[] b, int outs, double[] y) {
        for (int i = 0; i < n; i++) {
            int xi = i * ins;
            int yi = i * outs;
            int o = 0;
            for (; o + 4 <= outs; o += 4) {
                int w0 = o * ins;
                int w1 = w0 + ins;
                int w2 = w1 + ins;
                int w3 = w2 + ins;
                double s0 = b[o];
                double s1 = b[o + 1];
                double s2 = b[o + 2];
                double s3 = b[o + 3];
                for (int j = 0; j < ins; j++) {
                    double v = x[xi + j];
                    s0 += w[w0 + j] * v;
                    s1 += w[w1 + j] * v;
                    s2 += w[w2 + j] * v;
                    s3 += w[w3 + j] * v;
                }
                y[yi + o] = s0;
                y[yi + o + 1] = s1;
                y[yi + o + 2] = s2;
                y[yi + o + 3] = s3;
            }
            for (; o < outs; o++) {
                int wo = o * ins;
                double s = b[o];
                for (int j = 0; j < ins; j++) {
                    s += w[wo + j] * x[xi + j];
                }
                y[yi + o] = s;
            }
        }
    }

    @Override
    public void scaledSquares(double[] x, int n, int dim, double[] centres, double[] divisors, int k, double[] out) {
        for (int i = 0; i < n; i++) {
            int xi = i * dim;
            for (int c = 0; c < k; c++) {
                int ci = c * dim;
                double s = 0.0;
                for (int j = 0; j < dim; j++) {
                    double d = x[xi + j] - centres[ci + j];
                    s += d * d / divisors[ci + j];
                }
                out[i * k + c] = s;
            }
        }
    }

    @Override
    public String describe() {
        return "scalar";
    }
}
