package io.tracer.lakehouse;

import io.tracer.TracerException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Metric-table rows written as typed Java records: a record's components, in declaration order,
 * are the table's columns, named in camelCase for the table's snake_case ({@code runId} is
 * {@code run_id}). The record and {@link MetricTables}' schema are checked against each other on
 * every write, so a column added to one and not the other fails loudly, not silently.
 */
public final class TableRows {
    private TableRows() {}

    /** {@code rows} as a DataFrame with {@code table}'s schema (comments included). */
    public static Dataset<Row> toDataFrame(SparkSession spark, MetricTable table, List<? extends Record> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            out.add(toRow(table, r));
        }
        return spark.createDataFrame(out, table.schema());
    }

    /** One record as a Row in {@code table}'s column order. */
    public static Row toRow(MetricTable table, Record record) {
        check(table, record.getClass());
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                Object v = components[i].getAccessor().invoke(record);
                values[i] = v instanceof List<?> list ? list.toArray() : v;
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new TracerException("cannot read " + components[i].getName() + " of " + record, e);
            }
        }
        return RowFactory.create(values);
    }

    /** Throws unless {@code type}'s components name {@code table}'s columns, in order. */
    public static void check(MetricTable table, Class<? extends Record> type) {
        RecordComponent[] components = type.getRecordComponents();
        StructType schema = table.schema();
        StructField[] fields = schema.fields();
        if (components.length != fields.length) {
            throw new IllegalStateException(type.getSimpleName() + " has " + components.length
                    + " components but table " + table.tableName() + " has " + fields.length + " columns");
        }
        for (int i = 0; i < fields.length; i++) {
            String column = snake(components[i].getName());
            if (!column.equals(fields[i].name())) {
                throw new IllegalStateException(type.getSimpleName() + " component " + i + " ("
                        + components[i].getName() + ") is column " + column + ", but table " + table.tableName()
                        + " has " + fields[i].name() + " there");
            }
        }
    }

    /** {@code runId} to {@code run_id}; {@code handledStage1} to {@code handled_stage1}. */
    static String snake(String camel) {
        StringBuilder s = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                s.append('_').append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }
}
