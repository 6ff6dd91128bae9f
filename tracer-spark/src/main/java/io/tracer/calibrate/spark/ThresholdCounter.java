package io.tracer.calibrate.spark;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.calibrate.ThresholdCounts;
import io.tracer.log.WarnOnce;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Counts, for every threshold of a strict-to-lenient sequence, the rows accepted
 * ({@code score >= threshold}) and the accepted rows agreeing with the teacher.
 *
 * <p>Each row is put in the bin of the strictest threshold that accepts it (MLlib's Bucketizer
 * over the ascending thresholds), then {@code groupBy(bin)} counts rows and agreeing rows. Only
 * that aggregate (at most one row per threshold, plus "below every threshold" and "unscored")
 * is collected; the driver makes it cumulative. The counts are exact integers, so one partition
 * and a thousand give identical results.
 *
 * <p>Columns: the score is any numeric column (read as double). Rows whose score is null or NaN
 * are <em>unscored</em>: never accepted, counted in {@code n} and in
 * {@link ThresholdCounts#unscored()} and logged (once per score column and run at WARN, see
 * {@link WarnOnce}), since they are traffic the surrogate will not
 * handle. The agree column is the canonical double 1.0 / 0.0 ({@link Columns#AGREE}); a
 * boolean or other numeric 0/1 column is accepted too. Any other agree value, or null, is bad
 * input: the count fails with a {@link BadInputException} naming the column and an example row.
 */
public final class ThresholdCounter {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdCounter.class);

    private static final String SCORE = "__tracer_score";
    private static final String BUCKET = "__tracer_bucket";
    private static final String BIN = "__tracer_bin";
    private static final int UNSCORED_BIN = -1;

    private ThresholdCounter() {}

    /**
     * Counts {@code data} along {@code thresholds} (strictly descending, finite or -infinity).
     *
     * @throws BadInputException when a column is missing or has the wrong type, or an agree value is not 0/1
     */
    public static ThresholdCounts count(Dataset<Row> data, String scoreCol, String agreeCol, double[] thresholds) {
        double[] t = checkThresholds(thresholds);
        int m = t.length;
        checkType(data, scoreCol, false);
        checkType(data, agreeCol, true);

        Column raw = col(scoreCol).cast("double");
        Column missing = raw.isNull().or(isnan(raw));
        // + 0.0 turns -0.0 into 0.0: Bucketizer's binary search orders -0.0 below 0.0, but >= does not.
        Column score = when(missing, lit(Double.NaN)).otherwise(raw.plus(lit(0.0)));
        Column agree = col(agreeCol).cast("double");
        Column validAgree = agree.isNotNull().and(agree.equalTo(0.0).or(agree.equalTo(1.0)));

        Dataset<Row> prepared = data.select(score.as(SCORE), missing.as("__missing"),
                when(validAgree, agree).otherwise(lit(null)).as("__agree"),
                validAgree.as("__valid"),
                // Built only for bad rows: a string per row would cost more than the count itself.
                when(validAgree, lit(null).cast("string")).otherwise(exampleId(data, agreeCol)).as("__id"));

        Column bin;
        if (m == 0) {
            bin = when(col("__missing"), lit(UNSCORED_BIN)).otherwise(lit(0));
        } else {
            boolean lowerPad = t[m - 1] > Double.NEGATIVE_INFINITY;
            double[] splits = splits(t, lowerPad);
            prepared = new Bucketizer().setInputCol(SCORE).setOutputCol(BUCKET).setSplits(splits)
                    .setHandleInvalid("keep").transform(prepared);
            // Bucket b covers [splits[b], splits[b+1]); its lower edge is thresholds[m-1-b+pad].
            // With the -inf pad, bucket 0 is "below every threshold" and maps to bin m.
            bin = when(col("__missing"), lit(UNSCORED_BIN))
                    .otherwise(lit(m - 1 + (lowerPad ? 1 : 0)).minus(col(BUCKET).cast("int")));
        }

        List<Row> bins = prepared.withColumn(BIN, bin)
                .groupBy(col(BIN))
                .agg(functions.count(lit(1)).as("rows"),
                        sum(when(col("__agree").equalTo(1.0), lit(1L)).otherwise(lit(0L))).as("agreeing"),
                        sum(when(col("__valid"), lit(0L)).otherwise(lit(1L))).as("bad"),
                        min(col("__id")).as("bad_example"))
                .collectAsList();

        long[] binRows = new long[m];
        long[] binAgree = new long[m];
        long n = 0;
        long unscored = 0;
        long rejected = 0;
        long bad = 0;
        String badExample = null;
        for (Row r : bins) {
            int b = r.getInt(0);
            long rows = r.getLong(1);
            n += rows;
            bad += r.getLong(3);
            if (!r.isNullAt(4) && (badExample == null || r.getString(4).compareTo(badExample) < 0)) {
                badExample = r.getString(4);
            }
            if (b == UNSCORED_BIN) {
                unscored += rows;
            } else if (b >= m) {
                rejected += rows;
            } else {
                binRows[b] = rows;
                binAgree[b] = r.getLong(2);
            }
        }
        if (bad > 0) {
            throw new BadInputException("column '" + agreeCol + "' must be 1.0 or 0.0 (or a boolean): " + bad
                    + " of " + n + " rows are null or another value, e.g. " + badExample);
        }
        if (unscored > 0) {
            // Every candidate of a fit counts the same split, so the same rows come back each time.
            WarnOnce.warn(LOG, "rows with a null or NaN '" + scoreCol + "'",
                    "{} of {} rows have a null or NaN '{}'; they are never accepted but count as traffic",
                    unscored, n, scoreCol);
        }
        ThresholdCounts counts = ThresholdCounts.fromBins(t, binRows, binAgree, n, unscored);
        LOG.debug("counted {} rows over {} thresholds: {} accepted at the most lenient, {} below it, {} unscored",
                n, m, m == 0 ? 0 : counts.accepted(m - 1), rejected, unscored);
        return counts;
    }

    /** The ascending Bucketizer splits: [-inf,] thresholds reversed, +inf. */
    private static double[] splits(double[] descending, boolean lowerPad) {
        int m = descending.length;
        int pad = lowerPad ? 1 : 0;
        double[] s = new double[m + pad + 1];
        if (lowerPad) {
            s[0] = Double.NEGATIVE_INFINITY;
        }
        for (int i = 0; i < m; i++) {
            s[pad + i] = descending[m - 1 - i];
        }
        s[m + pad] = Double.POSITIVE_INFINITY;
        return s;
    }

    private static double[] checkThresholds(double[] thresholds) {
        double[] t = thresholds.clone();
        for (int i = 0; i < t.length; i++) {
            if (Double.isNaN(t[i]) || t[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("threshold " + i + " must be finite or -infinity, got " + t[i]);
            }
            t[i] = t[i] + 0.0;
            if (i > 0 && !(t[i] < t[i - 1])) {
                throw new IllegalArgumentException("thresholds must be strictly descending: " + Arrays.toString(t));
            }
        }
        return t;
    }

    private static void checkType(Dataset<Row> data, String column, boolean booleanAllowed) {
        if (!Arrays.asList(data.columns()).contains(column)) {
            throw new BadInputException("column '" + column + "' is missing; the table has "
                    + Arrays.toString(data.columns()));
        }
        DataType type = data.schema().apply(column).dataType();
        if (!(type instanceof NumericType) && !(booleanAllowed && type instanceof BooleanType)) {
            throw new BadInputException("column '" + column + "' must be "
                    + (booleanAllowed ? "numeric 0/1 or boolean" : "numeric") + ", got " + type.simpleString());
        }
    }

    /** A row name for error messages: the trace id when the table has one, and the bad value. */
    private static Column exampleId(Dataset<Row> data, String agreeCol) {
        Column value = concat(lit(agreeCol + "="), coalesce(col(agreeCol).cast("string"), lit("null")));
        if (Arrays.asList(data.columns()).contains(Columns.TRACE_ID)) {
            return concat(lit(Columns.TRACE_ID + "="), coalesce(col(Columns.TRACE_ID).cast("string"), lit("null")),
                    lit(" "), value);
        }
        return value;
    }
}
