package io.tracer.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.policy.PolicyManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * The policy's out-of-distribution gate as plain arrays: what {@code io.tracer.ood.OodGate}
 * flags with DataFrame expressions, computed here per embedding. Read from the manifest's
 * {@code ood} entry (thresholds) and the centroids file it names.
 *
 * <p>The arithmetic follows the Spark expression term by term so the distance is bit-identical:
 * the float embedding widened to double, {@code (x_j - c_j) * (x_j - c_j)} summed from 0.0 in
 * index order ({@code aggregate} over {@code zip_with}), then {@code Math.sqrt} (Spark's
 * {@code sqrt}). A row is out of distribution when the distance is greater than the predicted
 * label's threshold, in Spark SQL's ordering, where NaN is greater than every number.
 *
 * @param centroids  K x D train means per label, label-index order
 * @param thresholds K distance thresholds (-1 for labels with no train row: always flagged)
 */
record PortableOod(double[][] centroids, double[] thresholds) {
    /** The only metric this router computes (OodGate.METRIC). */
    static final String METRIC = "l2_to_predicted_label_centroid";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Euclidean distance of {@code x} to the centroid of {@code label}, in Spark's order of operations. */
    double distance(double[] x, int label) {
        double[] c = centroids[label];
        double acc = 0.0;
        for (int j = 0; j < c.length; j++) {
            double d = x[j] - c[j];
            acc = acc + d * d;
        }
        return Math.sqrt(acc);
    }

    /**
     * {@link #distance} of each row of a block to the centroid of its label. Each row's sum runs
     * in index order, as above (bit-identical); four rows are summed side by side so their
     * additions overlap in the CPU.
     *
     * @param x      n x dim rows, row-major
     * @param labels n label indices
     * @param out    n distances (written)
     */
    void distances(double[] x, int n, int[] labels, double[] out) {
        int dim = centroids[0].length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double[] c0 = centroids[labels[i]];
            double[] c1 = centroids[labels[i + 1]];
            double[] c2 = centroids[labels[i + 2]];
            double[] c3 = centroids[labels[i + 3]];
            int x0 = i * dim;
            int x1 = x0 + dim;
            int x2 = x1 + dim;
            int x3 = x2 + dim;
            double a0 = 0.0;
            double a1 = 0.0;
            double a2 = 0.0;
            double a3 = 0.0;
            for (int j = 0; j < dim; j++) {
                double d0 = x[x0 + j] - c0[j];
                double d1 = x[x1 + j] - c1[j];
                double d2 = x[x2 + j] - c2[j];
                double d3 = x[x3 + j] - c3[j];
                a0 = a0 + d0 * d0;
                a1 = a1 + d1 * d1;
                a2 = a2 + d2 * d2;
                a3 = a3 + d3 * d3;
            }
            out[i] = Math.sqrt(a0);
            out[i + 1] = Math.sqrt(a1);
            out[i + 2] = Math.sqrt(a2);
            out[i + 3] = Math.sqrt(a3);
        }
        for (; i < n; i++) {
            double[] c = centroids[labels[i]];
            double acc = 0.0;
            for (int j = 0, at = i * dim; j < dim; j++, at++) {
                double d = x[at] - c[j];
                acc = acc + d * d;
            }
            out[i] = Math.sqrt(acc);
        }
    }

    double threshold(int label) {
        return thresholds[label];
    }

    /** Spark's {@code distance > threshold}: NaN sorts above every number and equals itself. */
    boolean flags(double distance, int label) {
        double t = thresholds[label];
        if (Double.isNaN(distance)) {
            return !Double.isNaN(t);
        }
        return distance > t;
    }

    /**
     * The gate the manifest's {@code ood} entry describes, or null when there is none or it says
     * disabled (routing then has no OOD deferrals, as {@code tracer route} would).
     *
     * @param resolve turns a path relative to the version directory into a URI
     */
    static PortableOod fromManifest(PolicyManifest.Ood entry, Function<String, String> resolve, int labels,
                                    int dim, Configuration conf) {
        if (entry == null || !entry.active()) {
            return null;
        }
        if (!METRIC.equals(entry.metric())) {
            throw new RouterException("policy manifest: ood.metric " + entry.metric()
                    + " is not known to this router (it computes " + METRIC + ")");
        }
        String p = entry.centroidsPath();
        if (p == null || p.contains("..")) {
            throw new RouterException("policy manifest: ood.centroids_path must be a relative path, was " + p);
        }
        double[] thresholds = thresholds(entry.labelThresholds(), labels);
        String uri = resolve.apply(p);
        JsonNode file = read(uri, conf);
        JsonNode rows = file.path("centroids");
        if (!rows.isArray() || rows.size() != labels) {
            throw new RouterException("ood centroids " + uri + ": expected " + labels + " centroids, found "
                    + (rows.isArray() ? rows.size() : rows.getNodeType()));
        }
        double[][] centroids = new double[labels][dim];
        for (int i = 0; i < labels; i++) {
            JsonNode r = rows.get(i);
            if (!r.isArray() || r.size() != dim) {
                throw new RouterException("ood centroids " + uri + ": centroid " + i + " has " + r.size()
                        + " values; the policy's encoder produces " + dim);
            }
            for (int j = 0; j < dim; j++) {
                JsonNode v = r.get(j);
                centroids[i][j] = v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
            }
        }
        return new PortableOod(centroids, thresholds);
    }

    /** Non-finite thresholds are written as strings ("NaN", "Infinity"); the manifest reader turns them back. */
    private static double[] thresholds(List<Double> value, int labels) {
        if (value == null || value.size() != labels) {
            throw new RouterException("policy manifest: ood.label_thresholds must list " + labels + " numbers, was "
                    + value);
        }
        double[] out = new double[labels];
        for (int i = 0; i < labels; i++) {
            Double v = value.get(i);
            if (v == null) {
                throw new RouterException("policy manifest: ood.label_thresholds[" + i + "] is not a number: " + v);
            }
            out[i] = v;
        }
        return out;
    }

    private static JsonNode read(String uri, Configuration conf) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new RouterException("ood centroids file " + uri + " does not exist");
            }
            try (FSDataInputStream in = fs.open(path)) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new RouterException("cannot read ood centroids " + uri + ": " + e.getMessage(), e);
        }
    }
}
