package io.tracer.zoo;

import io.tracer.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;

/** The model input: {@link Columns#FEATURES} as an ML vector built from {@link Columns#EMBEDDING}. */
public final class Features {
    private Features() {}

    /** Adds (or replaces) {@link Columns#FEATURES} from the embedding with the built-in array_to_vector. */
    public static Dataset<Row> add(Dataset<Row> rows) {
        return rows.withColumn(Columns.FEATURES, array_to_vector(col(Columns.EMBEDDING)));
    }

    /** Adds features only when the rows do not carry them yet. */
    public static Dataset<Row> ensure(Dataset<Row> rows) {
        return has(rows, Columns.FEATURES) ? rows : add(rows);
    }

    static boolean has(Dataset<Row> rows, String column) {
        return Arrays.asList(rows.columns()).contains(column);
    }
}
