package io.tracer.calibrate.spark;

import io.tracer.BadInputException;
import io.tracer.calibrate.QuantileGrid;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;

/**
 * Candidate thresholds from the SELECTION split's score distribution: the scores at the ranks
 * {@link QuantileGrid#ranks} picks, as a distinct strict-to-lenient sequence ending at the
 * minimum score (so "accept every scored row" is reachable).
 *
 * <p>Exact and independent of partitioning: {@code approxQuantile} is neither (its sketch
 * depends on how rows meet), so the scores are sorted, numbered with {@code zipWithIndex} and
 * only the ~gridSize chosen ranks are collected. The value at a rank of a sorted multiset is
 * unique, whatever the range partitioner's sample did. Null and NaN scores are left out.
 */
public final class ThresholdGrid {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdGrid.class);
    private static final String SCORE = "__tracer_score";

    private ThresholdGrid() {}

    /** Up to {@code gridSize} thresholds, strictly descending; empty when no row has a score. */
    public static double[] fromScores(Dataset<Row> selection, String scoreCol, int gridSize) {
        if (gridSize < 1) {
            throw new IllegalArgumentException("gridSize must be >= 1, got " + gridSize);
        }
        if (!Arrays.asList(selection.columns()).contains(scoreCol)) {
            throw new BadInputException("column '" + scoreCol + "' is missing; the table has "
                    + Arrays.toString(selection.columns()));
        }
        if (!(selection.schema().apply(scoreCol).dataType() instanceof NumericType)) {
            throw new BadInputException("column '" + scoreCol + "' must be numeric, got "
                    + selection.schema().apply(scoreCol).dataType().simpleString());
        }
        Column raw = col(scoreCol).cast("double");
        // + 0.0 folds -0.0 into 0.0, so equal scores are one value.
        Dataset<Row> scores = selection.where(raw.isNotNull().and(isnan(raw).unary_$bang()))
                .select(raw.plus(lit(0.0)).as(SCORE));
        long k = scores.count();
        long[] ranks = QuantileGrid.ranks(k, gridSize);
        if (ranks.length == 0) {
            LOG.warn("no scored rows in '{}': the threshold grid is empty", scoreCol);
            return new double[0];
        }
        JavaRDD<Double> sorted = scores.orderBy(col(SCORE)).javaRDD().map(r -> r.getDouble(0));
        List<Double> picked = sorted.zipWithIndex()
                .filter(p -> Arrays.binarySearch(ranks, p._2()) >= 0)
                .map(p -> p._1())
                .collect();
        if (picked.size() != ranks.length) {
            throw new IllegalStateException("picked " + picked.size() + " grid values for " + ranks.length + " ranks");
        }
        double[] values = picked.stream().mapToDouble(Double::doubleValue).toArray();
        double[] grid = QuantileGrid.thresholdsFromRankValues(values);
        LOG.info("threshold grid: {} distinct thresholds from {} ranks of {} scored rows, {} .. {}",
                grid.length, ranks.length, k, grid[0], grid[grid.length - 1]);
        return grid;
    }
}
