package io.tracer.ood;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracer.BadInputException;
import io.tracer.policy.PolicyManifest;
import io.tracer.zoo.ModelFiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.zip_with;

/**
 * The out-of-distribution gate of a policy: a row is out of distribution when its Euclidean
 * distance to the train centroid of the label the (first-stage) surrogate predicts for it
 * exceeds that label's threshold. The threshold is a quantile of the same distance over the
 * train rows predicted as that label, or the global quantile for labels predicted on too few
 * train rows.
 *
 * <p>Why the predicted label's centroid: the prediction is computed anyway, so the distance is
 * one pass over the vector (D operations, not K x D for the nearest centroid), and a row far
 * from the centroid of the label it is answered with is exactly one the surrogate has no
 * evidence for. Everything is a built-in expression (zip_with/aggregate over the vector and a
 * literal K x D centroid array), so flagging costs no UDF and no driver work per row.
 *
 * <p>Labels with no train row have a zero centroid and threshold -1: every row predicted as such
 * a label is out of distribution, since nothing like it was seen in training.
 *
 * @param centroids       K x D train means per teacher label (label-index order)
 * @param thresholds      K effective distance thresholds (label's own quantile or the global one)
 * @param globalThreshold the quantile over all train rows
 * @param labelRows       train rows predicted as each label (what its threshold was measured on)
 */
public record OodGate(double[][] centroids, double[] thresholds, double globalThreshold, long[] labelRows,
                      double quantile, int minLabelRows) {
    /** Distance to the predicted label's centroid (double). */
    public static final String DISTANCE = "ood_distance";
    /** True when the row is out of distribution (boolean). */
    public static final String FLAG = "ood";
    /** What the manifest's {@code ood.metric} says. */
    public static final String METRIC = "l2_to_predicted_label_centroid";
    /** Where the centroids live inside a policy version directory. */
    public static final String CENTROIDS_FILE = "ood/centroids.json";

    public OodGate {
        int k = centroids.length;
        if (k == 0 || thresholds.length != k || labelRows.length != k) {
            throw new BadInputException("ood gate: need one centroid, threshold and row count per label, got "
                    + k + ", " + thresholds.length + ", " + labelRows.length);
        }
        int d = centroids[0].length;
        for (double[] c : centroids) {
            if (c.length != d) {
                throw new BadInputException("ood gate: centroids of different widths " + d + " and " + c.length);
            }
        }
    }

    public int labels() {
        return centroids.length;
    }

    public int dim() {
        return centroids[0].length;
    }

    /** Distance of an ML vector column to the centroid of the label index in {@code labelIndex}. */
    public Column distance(Column features, Column labelIndex) {
        Column x = vector_to_array(features, "float64");
        Column c = element_at(lit(centroids), labelIndex.cast("int").plus(1));
        Column squares = zip_with(x, c, (a, b) -> a.minus(b).multiply(a.minus(b)));
        return sqrt(aggregate(squares, lit(0.0), (acc, v) -> acc.plus(v)));
    }

    /** The threshold of the label index in {@code labelIndex}. */
    public Column threshold(Column labelIndex) {
        return element_at(lit(thresholds), labelIndex.cast("int").plus(1));
    }

    /**
     * Adds {@link #DISTANCE} and {@link #FLAG} from {@code featuresCol} and the predicted label
     * index in {@code predictionCol}. A row with no prediction is flagged (nothing to compare).
     */
    public Dataset<Row> flag(Dataset<Row> rows, String featuresCol, String predictionCol) {
        Dataset<Row> withDistance = rows.withColumn(DISTANCE, distance(col(featuresCol), col(predictionCol)));
        Column out = col(DISTANCE).gt(threshold(col(predictionCol)));
        return withDistance.withColumn(FLAG, when(col(predictionCol).isNull().or(col(DISTANCE).isNull()), lit(true))
                .otherwise(out));
    }

    /**
     * The score a family counts: NaN ("never accepted", see ThresholdCounter) where the rows carry
     * {@link #FLAG} and it is true, else {@code score}. Rows without the column are unchanged, so
     * a fit without the gate scores as before.
     */
    public static Column neverAcceptedWhenOod(Dataset<Row> rows, Column score) {
        if (!Arrays.asList(rows.columns()).contains(FLAG)) {
            return score;
        }
        return when(col(FLAG), lit(Double.NaN)).otherwise(score);
    }

    /** The manifest's {@code ood} entry: the thresholds, how they were made, and where the centroids are. */
    public PolicyManifest.Ood manifestEntry() {
        return new PolicyManifest.Ood(true, METRIC, quantile, minLabelRows, globalThreshold,
                Arrays.stream(thresholds).boxed().toList(), Arrays.stream(labelRows).boxed().toList(), CENTROIDS_FILE);
    }

    /** Writes the centroids to {@code uri} (a Hadoop URI) as JSON. */
    public void saveCentroids(String uri) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", labels());
        m.put("dim", dim());
        m.put("centroids", centroids);
        ModelFiles.writeJson(uri, m);
    }

    /**
     * The gate a manifest's {@code ood} entry describes, or null when it has none or says
     * disabled.
     *
     * @param resolve turns a path relative to the version directory into a URI
     */
    public static OodGate fromManifest(PolicyManifest.Ood entry, Function<String, String> resolve, int labels) {
        if (entry == null || !entry.active()) {
            return null;
        }
        if (!METRIC.equals(entry.metric())) {
            throw new BadInputException("policy manifest: ood.metric " + entry.metric()
                    + " is not known to this build (it reads " + METRIC + ")");
        }
        String p = entry.centroidsPath();
        if (p == null || p.contains("..")) {
            throw new BadInputException("policy manifest: ood.centroids_path must be a relative path, was " + p);
        }
        JsonNode file = ModelFiles.readJson(resolve.apply(p));
        JsonNode rows = file.path("centroids");
        int d = file.path("dim").asInt(-1);
        if (!rows.isArray() || rows.size() != labels || d <= 0) {
            throw new BadInputException("ood centroids " + resolve.apply(p) + ": expected " + labels
                    + " centroids, found " + rows.size() + " (dim " + d + ")");
        }
        double[][] centroids = new double[labels][d];
        for (int i = 0; i < labels; i++) {
            JsonNode r = rows.get(i);
            if (r.size() != d) {
                throw new BadInputException("ood centroids " + resolve.apply(p) + ": centroid " + i + " has "
                        + r.size() + " values, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                centroids[i][j] = r.get(j).asDouble();
            }
        }
        return new OodGate(centroids, finite(entry.labelThresholds(), "label_thresholds", labels),
                number(entry.globalThreshold(), "global_threshold"), counts(entry.labelRows(), "label_rows", labels),
                number(entry.quantile(), "quantile"),
                (int) number(entry.minLabelRows() == null ? null : entry.minLabelRows().doubleValue(), "min_label_rows"));
    }

    private static double number(Double value, String key) {
        // Non-finite doubles are written as strings ("NaN"), which this reader always refused.
        if (value == null || !Double.isFinite(value)) {
            throw new BadInputException("policy manifest: ood." + key + " must be a number, was " + value);
        }
        return value;
    }

    /** The list's values; refuses a wrong length, a null, or a non-finite value (written as a string). */
    private static double[] finite(List<Double> values, String key, int size) {
        if (values == null || values.size() != size || !values.stream().allMatch(v -> v != null && Double.isFinite(v))) {
            throw new BadInputException("policy manifest: ood." + key + " must list " + size + " numbers");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long[] counts(List<Long> values, String key, int size) {
        if (values == null || values.size() != size || values.contains(null)) {
            throw new BadInputException("policy manifest: ood." + key + " must list " + size + " numbers");
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
