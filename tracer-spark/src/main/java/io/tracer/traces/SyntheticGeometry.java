package io.tracer.traces;

import io.tracer.Seeds;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The small driver-side part of a synthetic trace set: label names, label-size weights and the
 * K x D centroid matrix, all drawn from the generator seed.
 *
 * <p>Centroids come in families of one to three labels: a family's parent has coordinates
 * N(0, 1/D) (norm about 1, so difficulty does not change with D); each label of a family of
 * two or more sits at the parent plus its own offset of norm 0.3 to 0.7. Singletons are easy,
 * siblings overlap by varying amounts, so a surrogate's accuracy and confidence vary by label.
 */
final class SyntheticGeometry implements Serializable {
    private static final long serialVersionUID = 1L;

    final String[] names;
    /** Cumulative label weights, last entry exactly 1. */
    final double[] cumulative;
    final double[][] centroids;
    /** Out-of-distribution rows sit at this distance from the origin, in a random direction. */
    final double oodRadius;

    private SyntheticGeometry(String[] names, double[] cumulative, double[][] centroids, double oodRadius) {
        this.names = names;
        this.cumulative = cumulative;
        this.centroids = centroids;
        this.oodRadius = oodRadius;
    }

    static long generatorSeed(SyntheticSpec spec) {
        return Seeds.derive(spec.seed(), "generator");
    }

    static SyntheticGeometry of(SyntheticSpec spec) {
        int k = spec.labels();
        int d = spec.dim();
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(spec.seed(), "generator-geometry"));

        int width = Math.max(3, Integer.toString(k - 1).length());
        String[] names = new String[k];
        for (int i = 0; i < k; i++) {
            names[i] = String.format("label_%0" + width + "d", i);
        }

        // Which label is the most frequent is itself random, so label_000 is not always the biggest.
        int[] rank = permutation(k, rnd);
        double[] cumulative = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            total += 1.0 / Math.pow(rank[i] + 1, spec.zipfExponent());
            cumulative[i] = total;
        }
        for (int i = 0; i < k; i++) {
            cumulative[i] /= total;
        }
        cumulative[k - 1] = 1.0;

        double[][] centroids = new double[k][];
        int[] order = permutation(k, rnd);
        double scale = 1.0 / Math.sqrt(d);
        int next = 0;
        while (next < k) {
            int size = Math.min(k - next, 1 + rnd.nextInt(3));
            double[] parent = gaussian(d, scale, rnd);
            for (int j = 0; j < size; j++) {
                double[] c = parent.clone();
                if (size > 1) {
                    double offsetNorm = 0.3 + 0.4 * rnd.nextDouble();
                    double[] offset = gaussian(d, scale * offsetNorm, rnd);
                    for (int x = 0; x < d; x++) {
                        c[x] += offset[x];
                    }
                }
                centroids[order[next++]] = c;
            }
        }

        double maxNorm = 0;
        for (double[] c : centroids) {
            maxNorm = Math.max(maxNorm, norm(c));
        }
        // Twice (the farthest centroid + a typical in-distribution row's distance from its centroid):
        // an OOD row is then farther from every centroid than nearly any in-distribution row is from its own.
        double oodRadius = 2.0 * (maxNorm + spec.spread() * Math.sqrt(d));
        return new SyntheticGeometry(names, cumulative, centroids, oodRadius);
    }

    /** The label whose cumulative weight first exceeds {@code u} in [0, 1). */
    int label(double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[] gaussian(int d, double sd, SplittableRandom rnd) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = sd * rnd.nextGaussian();
        }
        return v;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
