package io.tracer.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.policy.PolicyManifest.Method;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Portable policies built in memory for the kernel's tests, in the export's own JSON layout (no
 * Spark here): K labels around random centroids in D dimensions, each surrogate kind with
 * parameters that make sense on them, XGBoost boosters trained on the spot.
 */
final class TestPolicies {
    static final int K = 5;
    /** Not a multiple of any vector width, so the SIMD remainders run too. */
    static final int D = 23;
    private static final ObjectMapper JSON = new ObjectMapper();

    final SplittableRandom random = new SplittableRandom(5);
    final double[][] centroids = new double[K][D];
    final List<String> labels = List.of("a", "b", "c", "d", "e");

    TestPolicies() {
        for (double[] c : centroids) {
            for (int j = 0; j < D; j++) {
                c[j] = random.nextGaussian();
            }
        }
    }

    /** n rows near the centroids (label i % K), spread {@code spread}. */
    float[][] rows(int n, double spread) {
        float[][] out = new float[n][D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                out[i][j] = (float) (centroids[i % K][j] + spread * random.nextGaussian());
            }
        }
        return out;
    }

    // --- surrogates -------------------------------------------------------------------------

    /** Nearest centroid as logistic regression: w_k = 2 c_k, b_k = -|c_k|^2. */
    Map<String, Object> logistic() {
        double[][] w = new double[K][D];
        double[] b = new double[K];
        for (int k = 0; k < K; k++) {
            for (int j = 0; j < D; j++) {
                w[k][j] = 2 * centroids[k][j];
                b[k] -= centroids[k][j] * centroids[k][j];
            }
        }
        Map<String, Object> s = surrogate(PortableFormat.LOGISTIC, "lr");
        s.put("coefficients", w);
        s.put("intercepts", b);
        return s;
    }

    /** One hidden layer of 7 behind a scaler; MLlib's flat layout (per layer: W column-major, then b). */
    Map<String, Object> mlp() {
        int[] layers = {D, 7, K};
        List<Double> flat = new ArrayList<>();
        for (int l = 0; l + 1 < layers.length; l++) {
            for (int t = 0; t < layers[l] * layers[l + 1] + layers[l + 1]; t++) {
                flat.add(random.nextGaussian());
            }
        }
        double[] mean = new double[D];
        double[] std = new double[D];
        for (int j = 0; j < D; j++) {
            mean[j] = 0.1 * random.nextGaussian();
            std[j] = j == 3 ? 0.0 : 0.5 + random.nextDouble();
        }
        Map<String, Object> s = surrogate(PortableFormat.MLP, "mlp");
        s.put("layers", layers);
        s.put("weights", flat);
        s.put("scaler_mean", mean);
        s.put("scaler_std", std);
        return s;
    }

    /** Gaussian naive Bayes that saw labels 0, 1, 3 and 4 only. */
    Map<String, Object> naiveBayes() {
        int[] seen = {0, 1, 3, 4};
        double[][] theta = new double[seen.length][];
        double[][] sigma = new double[seen.length][D];
        double[] pi = new double[seen.length];
        for (int i = 0; i < seen.length; i++) {
            theta[i] = centroids[seen[i]];
            pi[i] = Math.log(1.0 / seen.length);
            for (int j = 0; j < D; j++) {
                sigma[i][j] = 0.2 + random.nextDouble();
            }
        }
        Map<String, Object> s = surrogate(PortableFormat.NAIVE_BAYES, "nb");
        s.put("classes", seen);
        s.put("pi", pi);
        s.put("theta", theta);
        s.put("sigma", sigma);
        return s;
    }

    /** A forest of three random depth-3 trees (or one tree). */
    Map<String, Object> trees(boolean forest) {
        List<Map<String, Object>> trees = new ArrayList<>();
        for (int t = 0; t < (forest ? 3 : 1); t++) {
            TreeNodes nodes = new TreeNodes();
            nodes.grow(3);
            trees.add(nodes.json());
        }
        Map<String, Object> s = surrogate(PortableFormat.TREES, forest ? "forest" : "tree");
        s.put("forest", forest);
        s.put("num_classes", K);
        s.put("trees", trees);
        return s;
    }

    /** XGBoost multi:softprob trained here on rows near the centroids. */
    Map<String, Object> xgboost(Map<String, byte[]> files) {
        float[][] x = rows(400, 0.8);
        float[] labels = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            labels[i] = i % K;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "multi:softprob");
        params.put("num_class", K);
        files.put(PortableFormat.SURROGATE_BOOSTER, train(x, labels, params, 8));
        Map<String, Object> s = surrogate(PortableFormat.XGBOOST, "xgb");
        s.put("num_classes", K);
        s.put("file", PortableFormat.SURROGATE_BOOSTER);
        return s;
    }

    private Map<String, Object> surrogate(String kind, String name) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(PortableFormat.NAME, name);
        s.put(PortableFormat.KIND, kind);
        s.put("num_features", D);
        s.put("num_labels", K);
        return s;
    }

    // --- gates ------------------------------------------------------------------------------

    static Map<String, Object> top1() {
        return Map.of(PortableFormat.KIND, PortableFormat.TOP1);
    }

    static Map<String, Object> logisticGate() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put(PortableFormat.KIND, PortableFormat.LOGISTIC);
        g.put("inputs", PortableFormat.CONFIDENCE_INPUTS);
        g.put("coefficients", new double[] {3.0, -1.0, 2.0, -4.0});
        g.put("intercept", -0.5);
        return g;
    }

    /** XGBoost binary:logistic over the confidence features and the embedding, trained on random labels. */
    Map<String, Object> boostedGate(Map<String, byte[]> files) {
        float[][] x = new float[300][Confidence.FEATURES + D];
        float[] agree = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            agree[i] = x[i][0] + 0.5 * x[i][5] > 0 ? 1 : 0;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        files.put(PortableFormat.GATE_BOOSTER, train(x, agree, params, 6));
        List<String> inputs = new ArrayList<>(PortableFormat.CONFIDENCE_INPUTS);
        inputs.add(PortableFormat.FEATURES_INPUT);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put(PortableFormat.KIND, PortableFormat.XGBOOST);
        g.put("inputs", inputs);
        g.put("file", PortableFormat.GATE_BOOSTER);
        return g;
    }

    // --- policies ---------------------------------------------------------------------------

    static PortablePolicy.Stage stage(int number, double threshold, Map<String, Object> surrogate,
                                      Map<String, Object> gate, Map<String, byte[]> files) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(PortableFormat.FORMAT, PortableFormat.FORMAT_VERSION);
        root.put(PortableFormat.SURROGATE, surrogate);
        root.put(PortableFormat.GATE, gate);
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        try {
            all.put(PortableFormat.MODEL_FILE, JSON.writeValueAsBytes(root));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new PortablePolicy.Stage(number, threshold, "test stage " + number, all);
    }

    PortablePolicy policy(Method method, double threshold, List<PortablePolicy.Stage> stages, boolean ood) {
        return new PortablePolicy(PortablePolicy.newId(), "test", method, labels, threshold, "test-encoder", D,
                method == Method.NONE ? "nothing certified here" : null, stages, ood ? ood() : null);
    }

    /** Thresholds at about the median train distance to each centroid. */
    PortablePolicy.Ood ood() {
        double[] thresholds = new double[K];
        java.util.Arrays.fill(thresholds, 0.7 * Math.sqrt(D));
        thresholds[2] = -1;
        return new PortablePolicy.Ood(centroids, thresholds);
    }

    private static byte[] train(float[][] x, float[] labels, Map<String, Object> params, int rounds) {
        float[] flat = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * x[0].length, x[0].length);
        }
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 1);
        try {
            DMatrix m = new DMatrix(flat, x.length, x[0].length, Float.NaN);
            m.setLabel(labels);
            Booster b = XGBoost.train(m, params, rounds, new HashMap<>(), null, null);
            return b.toByteArray("ubj");
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random tree in the export's node arrays, pre-order, node 0 the root. */
    private final class TreeNodes {
        final List<Integer> feature = new ArrayList<>();
        final List<Double> threshold = new ArrayList<>();
        final List<Integer> left = new ArrayList<>();
        final List<Integer> right = new ArrayList<>();
        final List<int[]> leafClasses = new ArrayList<>();
        final List<double[]> leafCounts = new ArrayList<>();

        int grow(int depth) {
            int id = feature.size();
            feature.add(-1);
            threshold.add(0.0);
            left.add(-1);
            right.add(-1);
            leafClasses.add(new int[0]);
            leafCounts.add(new double[0]);
            if (depth == 0) {
                int a = random.nextInt(K);
                int b = (a + 1 + random.nextInt(K - 1)) % K;
                leafClasses.set(id, new int[] {Math.min(a, b), Math.max(a, b)});
                leafCounts.set(id, new double[] {1 + random.nextInt(20), 1 + random.nextInt(20)});
                return id;
            }
            feature.set(id, random.nextInt(D));
            threshold.set(id, random.nextGaussian() * 0.5);
            left.set(id, grow(depth - 1));
            right.set(id, grow(depth - 1));
            return id;
        }

        Map<String, Object> json() {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("feature", feature);
            t.put("threshold", threshold);
            t.put("left", left);
            t.put("right", right);
            t.put("leaf_classes", leafClasses);
            t.put("leaf_counts", leafCounts);
            return t;
        }
    }
}
