package io.tracer.gate;

import io.tracer.Columns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Confidence features of a probability vector, with built-in array functions (no UDF):
 * top-1 and top-2 probabilities, their margin, and the entropy divided by ln K (0 = certain,
 * 1 = uniform). A vector of one class has top-2 = 0 and entropy 0.
 */
public final class ConfidenceFeatures {
    private ConfidenceFeatures() {}

    public static final String TOP1 = "conf_top1";
    public static final String TOP2 = "conf_top2";
    public static final String MARGIN = "conf_margin";
    public static final String ENTROPY = "conf_entropy";
    /** In the order the logistic and boosted gates assemble them. */
    public static final List<String> ALL = List.of(TOP1, TOP2, MARGIN, ENTROPY);

    /** Adds (or replaces) the four confidence columns from {@link Columns#PROBABILITY}. */
    public static Dataset<Row> add(Dataset<Row> rows) {
        Column p = vector_to_array(col(Columns.PROBABILITY), "float64");
        // Ascending sort: the largest values sit at the end (element_at accepts negative indices).
        Column sorted = array_sort(p);
        Column k = size(p);
        Column top1 = element_at(sorted, -1);
        Column top2 = when(k.geq(2), element_at(sorted, -2)).otherwise(lit(0.0));
        // -sum p ln p over p > 0 (0 ln 0 = 0).
        Column entropy = aggregate(p, lit(0.0),
                (acc, x) -> acc.minus(when(x.gt(0.0), x.multiply(log(x))).otherwise(lit(0.0))));
        Column normalised = when(k.geq(2), greatest(lit(0.0), entropy.divide(log(k.cast("double")))))
                .otherwise(lit(0.0));
        return rows.withColumn(TOP1, top1)
                .withColumn(TOP2, top2)
                .withColumn(MARGIN, col(TOP1).minus(col(TOP2)))
                .withColumn(ENTROPY, normalised);
    }
}
