package io.tracer.kernel;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two implementations of the dense loops: the scalar one adds in index order (bit for bit the
 * sums the router always computed), the SIMD one agrees with it to rounding, and both give a row
 * the same bits whether it is scored alone or inside a block (sizes below, at and above the
 * vector and tile widths, so every edge path runs).
 */
class DenseMathTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(12);

    @Test
    void theTestJvmHasTheVectorApi() {
        // surefire passes --add-modules=jdk.incubator.vector; without it the SIMD tests below would test nothing
        assertTrue(DenseMaths.simd().isPresent(), "SIMD path not loaded");
        assertTrue(DenseMaths.best().describe().startsWith("simd"), DenseMaths.best().describe());
        assertEquals("scalar", DenseMaths.scalar().describe());
    }

    @Test
    void scalarAffineAddsInIndexOrderFromTheBias() {
        int n = 5, ins = 13, outs = 7;
        double[] x = random(n * ins), w = random(outs * ins), b = random(outs), y = new double[n * outs];
        DenseMaths.scalar().affine(x, n, ins, w, b, outs, y);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < outs; o++) {
                double s = b[o];
                for (int j = 0; j < ins; j++) {
                    s += w[o * ins + j] * x[i * ins + j];
                }
                assertEquals(Double.doubleToLongBits(s), Double.doubleToLongBits(y[i * outs + o]), i + "," + o);
            }
        }
    }

    @Test
    void simdAffineAgreesWithScalarToRoundingAndRowsDoNotDependOnTheirBlock() {
        DenseMath simd = DenseMaths.simd().orElseThrow();
        for (int n : new int[] {1, 3, 4, 5, 9}) {
            for (int ins : new int[] {1, 7, 8, 16, 37, 384}) {
                for (int outs : new int[] {1, 2, 3, 4, 7, 77}) {
                    double[] x = random(n * ins), w = random(outs * ins), b = random(outs);
                    double[] scalar = new double[n * outs];
                    double[] vector = new double[n * outs];
                    DenseMaths.scalar().affine(x, n, ins, w, b, outs, scalar);
                    simd.affine(x, n, ins, w, b, outs, vector);
                    for (int t = 0; t < scalar.length; t++) {
                        assertEquals(scalar[t], vector[t], 1e-12 * (1 + Math.abs(scalar[t])), n + "x" + ins + "x" + outs);
                    }
                    for (DenseMath math : new DenseMath[] {simd, DenseMaths.scalar()}) {
                        double[] block = new double[n * outs];
                        math.affine(x, n, ins, w, b, outs, block);
                        for (int i = 0; i < n; i++) {
                            double[] row = new double[ins];
                            System.arraycopy(x, i * ins, row, 0, ins);
                            double[] alone = new double[outs];
                            math.affine(row, 1, ins, w, b, outs, alone);
                            for (int o = 0; o < outs; o++) {
                                assertEquals(Double.doubleToLongBits(block[i * outs + o]),
                                        Double.doubleToLongBits(alone[o]), math.describe() + " row " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void simdScaledSquaresAgreeWithScalar() {
        DenseMath simd = DenseMaths.simd().orElseThrow();
        for (int dim : new int[] {1, 8, 12, 384}) {
            int n = 6, k = 5;
            double[] x = random(n * dim), c = random(k * dim), v = new double[k * dim];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.1 + RANDOM.nextDouble();
            }
            double[] scalar = new double[n * k];
            double[] vector = new double[n * k];
            DenseMaths.scalar().scaledSquares(x, n, dim, c, v, k, scalar);
            simd.scaledSquares(x, n, dim, c, v, k, vector);
            for (int t = 0; t < scalar.length; t++) {
                assertEquals(scalar[t], vector[t], 1e-12 * scalar[t], "dim " + dim);
            }
        }
    }

    static double[] random(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = RANDOM.nextGaussian();
        }
        return a;
    }
}
