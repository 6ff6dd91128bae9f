package io.tracer.ood;

import io.tracer.Columns;
import io.tracer.config.TracerConfig;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;

/**
 * Measures an {@link OodGate} on train rows. Reads only the train split (assumption 3 of the
 * guarantee: the gate is fixed before selection and calibration are read). Two small
 * aggregates reach the driver: K mean vectors, and K + 1 quantiles.
 *
 * <p>Quantiles are exact ({@code percentile}, not a sketch), so the thresholds, like every other
 * part of the artifact, do not depend on the partitioning.
 */
public final class OodCalibrator {
    private static final Logger LOG = LoggerFactory.getLogger(OodCalibrator.class);

    private OodCalibrator() {}

    /**
     * @param predictedTrain train rows with {@link Columns#FEATURES}, {@link Columns#LABEL_INDEX}
     *                       and the first-stage surrogate's {@link Columns#PREDICTION}
     * @param labels         K, the size of the label space
     */
    public static OodGate fit(Dataset<Row> predictedTrain, int labels, TracerConfig.Ood config) {
        double[][] centroids = new double[labels][];
        int dim = -1;
        for (Row r : predictedTrain.groupBy(col(Columns.LABEL_INDEX))
                .agg(Summarizer.mean(col(Columns.FEATURES)).as("mean")).collectAsList()) {
            if (r.isNullAt(0)) {
                continue;
            }
            double[] mean = ((Vector) r.get(1)).toArray();
            centroids[(int) r.getDouble(0)] = mean;
            dim = mean.length;
        }
        if (dim < 0) {
            throw new io.tracer.BadInputException("ood gate: the train split has no labelled rows");
        }
        double[] thresholds = new double[labels];
        int unseen = 0;
        for (int i = 0; i < labels; i++) {
            if (centroids[i] == null) {
                centroids[i] = new double[dim];
                thresholds[i] = -1.0;
                unseen++;
            }
        }
        // Centroids first, with provisional thresholds: the distances need them.
        OodGate provisional = new OodGate(centroids, thresholds, Double.NaN, new long[labels], config.quantile(),
                config.minLabelRows());
        Dataset<Row> distances = predictedTrain.select(col(Columns.PREDICTION),
                provisional.distance(col(Columns.FEATURES), col(Columns.PREDICTION)).as(OodGate.DISTANCE));
        Row global = distances.agg(percentile(col(OodGate.DISTANCE), lit(config.quantile()))).first();
        double globalThreshold = global.getDouble(0);
        long[] labelRows = new long[labels];
        double[] own = new double[labels];
        for (Row r : distances.groupBy(col(Columns.PREDICTION))
                .agg(count(lit(1)), percentile(col(OodGate.DISTANCE), lit(config.quantile()))).collectAsList()) {
            int k = (int) r.getDouble(0);
            labelRows[k] = r.getLong(1);
            own[k] = r.getDouble(2);
        }
        int fallback = 0;
        for (int i = 0; i < labels; i++) {
            if (thresholds[i] < 0) {
                continue;
            }
            if (labelRows[i] >= config.minLabelRows()) {
                thresholds[i] = own[i];
            } else {
                thresholds[i] = globalThreshold;
                fallback++;
            }
        }
        LOG.info("ood gate: {}-quantile of train distances to the predicted label's centroid, global {}; "
                        + "{} labels use their own threshold, {} the global one (< {} train rows), {} have no train rows",
                config.quantile(), String.format("%.4f", globalThreshold), labels - fallback - unseen, fallback,
                config.minLabelRows(), unseen);
        return new OodGate(centroids, thresholds, globalThreshold, labelRows, config.quantile(), config.minLabelRows());
    }
}
