package io.tracer.serve;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourPurityTest {

    /** The definition spelled out: sort everything, take the first ones. */
    private static double bruteForce(float[] ref, int[] labels, int dim, int k, int m, float[] q, double[] p,
                                     int exclude) {
        List<Integer> order = new ArrayList<>();
        for (int l = 0; l < p.length; l++) {
            order.add(l);
        }
        order.sort(Comparator.<Integer>comparingDouble(l -> -p[l]).thenComparingInt(l -> l));
        List<Integer> top = order.subList(0, Math.min(m, p.length));
        List<float[]> cands = new ArrayList<>(); // {sim, row}
        for (int r = 0; r < labels.length; r++) {
            if (r == exclude || !top.contains(labels[r])) {
                continue;
            }
            float s = lanes(q, 0, ref, r * dim, dim);
            cands.add(new float[] {s, r});
        }
        cands.sort(Comparator.<float[]>comparingDouble(c -> -c[0]).thenComparingDouble(c -> c[1]));
        int held = Math.min(k, cands.size());
        if (held == 0) {
            return Double.NaN;
        }
        int same = 0;
        for (int i = 0; i < held; i++) {
            same += labels[(int) cands.get(i)[1]] == top.get(0) ? 1 : 0;
        }
        return (double) same / held;
    }

    @Test
    void matchesTheDefinitionOnRandomRowsWithTiesAndExclusion() {
        Random rnd = new Random(7);
        int dim = 6;
        int labelsCount = 9;
        int n = 200;
        float[] raw = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(labelsCount);
            for (int j = 0; j < dim; j++) {
                // few distinct values, so equal similarities happen
                raw[i * dim + j] = rnd.nextInt(3) - 1;
            }
        }
        float[] ref = new float[n * dim];
        for (int i = 0; i < n; i++) {
            NeighbourPurity.normalise(raw, i * dim, dim, ref, i * dim);
        }
        for (int k : new int[] {1, 5, 10}) {
            for (int m : new int[] {1, 3, 9, 20}) {
                NeighbourPurity purity = new NeighbourPurity(ref, labels, labelsCount, dim, k, m);
                for (int t = 0; t < 300; t++) {
                    float[] q = new float[dim];
                    float[] rawQ = new float[dim];
                    for (int j = 0; j < dim; j++) {
                        rawQ[j] = rnd.nextInt(3) - 1;
                    }
                    NeighbourPurity.normalise(rawQ, 0, dim, q, 0);
                    double[] p = new double[labelsCount];
                    for (int l = 0; l < labelsCount; l++) {
                        p[l] = rnd.nextInt(4) / 4.0; // ties among labels too
                    }
                    int exclude = t % 3 == 0 ? rnd.nextInt(n) : -1;
                    double want = bruteForce(ref, labels, dim, k, m, q, p, exclude);
                    double got = purity.of(q, 0, p, 0, labelsCount, exclude);
                    assertEquals(want, got, 0.0, "k=" + k + " m=" + m + " query " + t);
                }
            }
        }
    }

    @Test
    void aRowIsNotItsOwnNeighbourAndNaNProbabilitiesGiveNaN() {
        // two rows of label 0 and one of label 1, the query equal to row 0
        float[] ref = {1f, 0f, 0.6f, 0.8f, 0.8f, 0.6f};
        int[] labels = {0, 1, 0};
        NeighbourPurity purity = new NeighbourPurity(ref, labels, 2, 2, 1, 2);
        float[] q = {1f, 0f};
        double[] p = {0.9, 0.1};
        assertEquals(1.0, purity.of(q, 0, p, 0, 2, -1));
        // without row 0, the nearest is row 2 (label 0, cos 0.8) before row 1 (label 1, cos 0.6)
        assertEquals(1.0, purity.of(q, 0, p, 0, 2, 0));
        // the surrogate says label 1: its nearest neighbour carries label 0
        assertEquals(0.0, purity.of(q, 0, new double[] {0.1, 0.9}, 0, 2, -1));
        assertTrue(Double.isNaN(purity.of(q, 0, new double[] {Double.NaN, 0.5}, 0, 2, -1)));
        // only label 1's rows searched, and the one there excluded: nothing to count
        NeighbourPurity top1 = new NeighbourPurity(ref, labels, 2, 2, 3, 1);
        assertTrue(Double.isNaN(top1.of(q, 0, new double[] {0.1, 0.9}, 0, 2, 1)));
    }

    @Test
    void refusesReferenceRowsThatDoNotFit() {
        assertThrows(RouterException.class, () -> new NeighbourPurity(new float[5], new int[2], 2, 2, 1, 1));
        assertThrows(RouterException.class, () -> new NeighbourPurity(new float[4], new int[] {0, 2}, 2, 2, 1, 1));
        assertThrows(RouterException.class, () -> new NeighbourPurity(new float[4], new int[] {0, 1}, 2, 2, 0, 1));
    }

    @Test
    void theDescriptionAndFileRebuildTheSameKernel() throws Exception {
        Random rnd = new Random(3);
        int dim = 6;
        int n = 40;
        float[] raw = new float[n * dim];
        float[] ref = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                raw[i * dim + j] = (float) rnd.nextGaussian();
            }
            NeighbourPurity.normalise(raw, i * dim, dim, ref, i * dim);
            labels[i] = i % 4;
        }
        NeighbourPurity kernel = new NeighbourPurity(ref, labels, 4, dim, 3, 2);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode d = json.readTree(json.writeValueAsString(kernel.describe("f")));
        NeighbourPurity back = NeighbourPurity.read(d, kernel.referenceBytes(), "test");
        float[] q = new float[dim];
        for (int t = 0; t < 50; t++) {
            double[] p = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
            int row = rnd.nextInt(n);
            double a = kernel.ofRaw(raw, row, p, 0, 4, q);
            double b = back.ofRaw(raw, row, p, 0, 4, q);
            assertEquals(Double.doubleToLongBits(a), Double.doubleToLongBits(b));
        }
        assertThrows(RouterException.class, () -> NeighbourPurity.read(d, new byte[7], "test"));
        assertThrows(RouterException.class, () -> kernel.of(q, 0, new double[5], 0, 5, -1));
    }

    /** The dot product's order as documented: lane j mod 8 adds index j, then a fixed tree. */
    private static float lanes(float[] a, int aOff, float[] b, int bOff, int n) {
        float[] lane = new float[8];
        for (int j = 0; j < n; j++) {
            lane[j % 8] += a[aOff + j] * b[bOff + j];
        }
        return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
    }

    @Test
    void theDotProductFollowsItsDocumentedOrderForEveryLength() {
        Random rnd = new Random(11);
        int straightDiffers = 0;
        for (int n = 0; n <= 40; n++) {
            float[] a = new float[n + 3];
            float[] b = new float[n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rnd.nextGaussian();
            }
            assertEquals(Float.floatToIntBits(lanes(a, 3, b, 5, n)),
                    Float.floatToIntBits(NeighbourPurity.dot(a, 3, b, 5, n)), "length " + n);
            float straight = 0f;
            for (int j = 0; j < n; j++) {
                straight += a[3 + j] * b[5 + j];
            }
            straightDiffers += Float.floatToIntBits(straight) != Float.floatToIntBits(NeighbourPurity.dot(a, 3, b, 5, n))
                    ? 1 : 0;
        }
        // the order matters: a single running sum gives other bits for some lengths
        assertTrue(straightDiffers > 0, "a single running sum never differed");
    }
}
