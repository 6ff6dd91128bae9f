package io.tracer.zoo;

import io.tracer.Columns;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

/**
 * The rows an XGBoost fit reads, in one order whatever the cluster did on the way.
 *
 * <p>XGBoost samples rows by their position ({@code subsample} below 1, as in the boosted gate),
 * so the same rows in another order are another sample and give a different model; even without
 * sampling, its sums would differ in the last digits. Its one worker gets every row through a
 * shuffle, and a shuffle's reader takes the map outputs in the order they arrive; on a cluster
 * that depends on which executor answers first. Two runs of one fit on a two-executor standalone
 * cluster certified different thresholds for that reason alone. So the rows are shuffled into
 * one partition here (which also starts XGBoost's barrier stage with a shuffle, as barrier mode
 * wants after a coalesce or union) and sorted by trace id in it; XGBoost is then told not to
 * repartition. Trace ids are unique in every table the fit trains on (the loader keeps one row
 * per id); a tie would leave its rows' order to the shuffle.
 */
public final class XgboostRows {
    private XgboostRows() {}

    /**
     * Sets {@code x} up to read what {@link #ordered} gives it: one worker, and no repartition of
     * its own (the rows already are the one partition that worker reads; another repartition
     * would only add a shuffle). Scala's setters return an erased type: one call per statement.
     */
    public static void readOneOrderedPartition(XGBoostClassifier x) {
        x.setNumWorkers(1);
        x.setForceRepartition(false);
    }

    /** {@code rows} in one partition, sorted by {@link Columns#TRACE_ID}, for an estimator with one worker. */
    public static Dataset<Row> ordered(Dataset<Row> rows) {
        if (!Arrays.asList(rows.columns()).contains(Columns.TRACE_ID)) {
            throw new IllegalArgumentException("XGBoost's rows need a " + Columns.TRACE_ID + " column to be put in order");
        }
        return rows.repartition(1).sortWithinPartitions(Columns.TRACE_ID);
    }
}
