package io.tracer.bench;

import io.tracer.Columns;
import io.tracer.route.RouteColumns;
import io.tracer.zoo.ClassificationScores;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * What routing did on labelled traffic: coverage, agreement on handled rows, and end-to-end
 * macro-F1 where handled rows take the surrogate's label and deferred rows the teacher's.
 */
public record RoutedMetrics(long rows, long handled, long agreeing, double coverage, double agreement,
                            double e2eMacroF1) {

    /** @param routed rows with {@link Columns#TEACHER} and the routing columns */
    public static RoutedMetrics of(Dataset<Row> routed) {
        Column handled = col(RouteColumns.DECISION).equalTo(RouteColumns.HANDLED);
        Column agrees = handled.and(col(RouteColumns.SURROGATE_LABEL).equalTo(col(Columns.TEACHER)));
        Row totals = routed.agg(count(lit(1)), sum(when(handled, 1L).otherwise(0L)),
                sum(when(agrees, 1L).otherwise(0L))).first();
        long rows = totals.getLong(0);
        long h = totals.isNullAt(1) ? 0 : totals.getLong(1);
        long a = totals.isNullAt(2) ? 0 : totals.getLong(2);
        Column answer = when(handled, col(RouteColumns.SURROGATE_LABEL)).otherwise(col(Columns.TEACHER));
        List<Row> confusion = routed.groupBy(col(Columns.TEACHER).as("truth"), coalesce(answer, lit("")).as("answer"))
                .count().collectAsList();
        Map<String, Integer> ids = new HashMap<>();
        List<ClassificationScores.Cell> cells = new ArrayList<>();
        for (Row r : confusion) {
            int t = ids.computeIfAbsent(r.getString(0), k -> ids.size());
            int p = ids.computeIfAbsent(r.getString(1), k -> ids.size());
            cells.add(new ClassificationScores.Cell(t, p, r.getLong(2)));
        }
        double f1 = ClassificationScores.of(cells).macroF1();
        return new RoutedMetrics(rows, h, a, rows == 0 ? 0 : (double) h / rows, h == 0 ? Double.NaN : (double) a / h, f1);
    }
}
