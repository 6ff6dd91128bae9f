package io.tracer.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DenseMath} on the JDK's Vector API (jdk.incubator.vector), in the widest double vectors
 * the CPU has (8 lanes with AVX-512, 4 with AVX2).
 *
 * <p>The affine map is a small matrix product: four rows against three outputs at a time keep
 * twelve vector accumulators in registers, so each loaded piece of a row or a weight row is used
 * three or four times. Each sum is reduced across its lanes at the end and the remainder of a
 * row that does not fill a vector is added in scalar code.
 *
 * <p>Only {@link DenseMaths} names this class, by reflection, and only when the module is in the
 * boot layer: a JVM started without {@code --add-modules=jdk.incubator.vector} never loads it.
 */
final class VectorDenseMath implements DenseMath {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void affine(double[] x, int n, int ins, double[] w, double[] b, int outs, double[] y) {
        int upper = S.loopBound(ins);
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int o = 0;
            for (; o + 3 <= outs; o += 3) {
                fourRowsThreeOutputs(x, i, ins, w, o, upper, b, outs, y);
            }
            for (; o < outs; o++) {
                for (int r = i; r < i + 4; r++) {
                    y[r * outs + o] = b[o] + dot(x, r * ins, w, o * ins, ins, upper);
                }
            }
        }
        for (; i < n; i++) {
            int o = 0;
            for (; o + 3 <= outs; o += 3) {
                oneRowThreeOutputs(x, i, ins, w, o, upper, b, outs, y);
            }
            for (; o < outs; o++) {
                y[i * outs + o] = b[o] + dot(x, i * ins, w, o * ins, ins, upper);
            }
        }
    }

    private static void fourRowsThreeOutputs(double[] x, int i, int ins, double[] w, int o, int upper, double[] b,
                                             int outs, double[] y) {
        int x0 = i * ins;
        int x1 = x0 + ins;
        int x2 = x1 + ins;
        int x3 = x2 + ins;
        int w0 = o * ins;
        int w1 = w0 + ins;
        int w2 = w1 + ins;
        DoubleVector a00 = DoubleVector.zero(S), a01 = DoubleVector.zero(S), a02 = DoubleVector.zero(S);
        DoubleVector a10 = DoubleVector.zero(S), a11 = DoubleVector.zero(S), a12 = DoubleVector.zero(S);
        DoubleVector a20 = DoubleVector.zero(S), a21 = DoubleVector.zero(S), a22 = DoubleVector.zero(S);
        DoubleVector a30 = DoubleVector.zero(S), a31 = DoubleVector.zero(S), a32 = DoubleVector.zero(S);
        for (int j = 0; j < upper; j += L) {
            DoubleVector v0 = DoubleVector.fromArray(S, w, w0 + j);
            DoubleVector v1 = DoubleVector.fromArray(S, w, w1 + j);
            DoubleVector v2 = DoubleVector.fromArray(S, w, w2 + j);
            DoubleVector r = DoubleVector.fromArray(S, x, x0 + j);
            a00 = r.fma(v0, a00);
            a01 = r.fma(v1, a01);
            a02 = r.fma(v2, a02);
            r = DoubleVector.fromArray(S, x, x1 + j);
            a10 = r.fma(v0, a10);
            a11 = r.fma(v1, a11);
            a12 = r.fma(v2, a12);
            r = DoubleVector.fromArray(S, x, x2 + j);
            a20 = r.fma(v0, a20);
            a21 = r.fma(v1, a21);
            a22 = r.fma(v2, a22);
            r = DoubleVector.fromArray(S, x, x3 + j);
            a30 = r.fma(v0, a30);
            a31 = r.fma(v1, a31);
            a32 = r.fma(v2, a32);
        }
        int y0 = i * outs + o;
        y[y0] = finish(a00, x, x0, w, w0, upper, ins, b[o]);
        y[y0 + 1] = finish(a01, x, x0, w, w1, upper, ins, b[o + 1]);
        y[y0 + 2] = finish(a02, x, x0, w, w2, upper, ins, b[o + 2]);
        y0 += outs;
        y[y0] = finish(a10, x, x1, w, w0, upper, ins, b[o]);
        y[y0 + 1] = finish(a11, x, x1, w, w1, upper, ins, b[o + 1]);
        y[y0 + 2] = finish(a12, x, x1, w, w2, upper, ins, b[o + 2]);
        y0 += outs;
        y[y0] = finish(a20, x, x2, w, w0, upper, ins, b[o]);
        y[y0 + 1] = finish(a21, x, x2, w, w1, upper, ins, b[o + 1]);
        y[y0 + 2] = finish(a22, x, x2, w, w2, upper, ins, b[o + 2]);
        y0 += outs;
        y[y0] = finish(a30, x, x3, w, w0, upper, ins, b[o]);
        y[y0 + 1] = finish(a31, x, x3, w, w1, upper, ins, b[o + 1]);
        y[y0 + 2] = finish(a32, x, x3, w, w2, upper, ins, b[o + 2]);
    }

    private static void oneRowThreeOutputs(double[] x, int i, int ins, double[] w, int o, int upper, double[] b,
                                           int outs, double[] y) {
        int x0 = i * ins;
        int w0 = o * ins;
        int w1 = w0 + ins;
        int w2 = w1 + ins;
        DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S), a2 = DoubleVector.zero(S);
        for (int j = 0; j < upper; j += L) {
            DoubleVector r = DoubleVector.fromArray(S, x, x0 + j);
            a0 = r.fma(DoubleVector.fromArray(S, w, w0 + j), a0);
            a1 = r.fma(DoubleVector.fromArray(S, w, w1 + j), a1);
            a2 = r.fma(DoubleVector.fromArray(S, w, w2 + j), a2);
        }
        int y0 = i * outs + o;
        y[y0] = finish(a0, x, x0, w, w0, upper, ins, b[o]);
        y[y0 + 1] = finish(a1, x, x0, w, w1, upper, ins, b[o + 1]);
        y[y0 + 2] = finish(a2, x, x0, w, w2, upper, ins, b[o + 2]);
    }

    private static double dot(double[] x, int xi, double[] w, int wi, int ins, int upper) {
        DoubleVector acc = DoubleVector.zero(S);
        for (int j = 0; j < upper; j += L) {
            acc = DoubleVector.fromArray(S, x, xi + j).fma(DoubleVector.fromArray(S, w, wi + j), acc);
        }
        return finish(acc, x, xi, w, wi, upper, ins, 0.0);
    }

    /** bias + the lanes of {@code acc} + the scalar remainder of the row from {@code upper}. */
    private static double finish(DoubleVector acc, double[] x, int xi, double[] w, int wi, int upper, int ins,
                                 double bias) {
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (int j = upper; j < ins; j++) {
            s += x[xi + j] * w[wi + j];
        }
        return bias + s;
    }

    @Override
    public void scaledSquares(double[] x, int n, int dim, double[] centres, double[] divisors, int k, double[] out) {
        int upper = S.loopBound(dim);
        for (int i = 0; i < n; i++) {
            int xi = i * dim;
            for (int c = 0; c < k; c++) {
                int ci = c * dim;
                DoubleVector acc = DoubleVector.zero(S);
                for (int j = 0; j < upper; j += L) {
                    DoubleVector d = DoubleVector.fromArray(S, x, xi + j).sub(DoubleVector.fromArray(S, centres, ci + j));
                    acc = acc.add(d.mul(d).div(DoubleVector.fromArray(S, divisors, ci + j)));
                }
                double s = acc.reduceLanes(VectorOperators.ADD);
                for (int j = upper; j < dim; j++) {
                    double d = x[xi + j] - centres[ci + j];
                    s += d * d / divisors[ci + j];
                }
                out[i * k + c] = s;
            }
        }
    }

    @Override
    public String describe() {
        return "simd (jdk.incubator.vector, " + L + " doubles per vector)";
    }
}
