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
        return struct(record);
    }

    /**
     * A record's components as a Row, in order; a list becomes an array and a nested record (an
     * element of an array of structs) a Row of its own. Maps pass as they are.
     */
    private static Row struct(Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                values[i] = value(components[i].getAccessor().invoke(record));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new TracerException("cannot read " + components[i].getName() + " of " + record, e);
            }
        }
        return RowFactory.create(values);
    }

    private static Object value(Object v) {
        if (v instanceof List<?> list) {
            return list.stream().map(TableRows::value).toArray();
        }
        if (v instanceof Record r) {
            return struct(r);
        }
        return v;
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

    /**
     * A row read back from {@code table} as its record type (the inverse of {@link #toRow}): each
     * component from the column of its snake_case name; arrays of structs become lists of the
     * component's record type, maps Java maps.
     */
    public static <R extends Record> R fromRow(MetricTable table, Row row, Class<R> type) {
        check(table, type);
        return record(row, type);
    }

    private static <R extends Record> R record(Row row, Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            int at = row.fieldIndex(snake(c.getName()));
            if (row.isNullAt(at)) {
                args[i] = null;
            } else if (List.class.isAssignableFrom(c.getType())) {
                Class<?> element = elementType(c);
                List<Object> out = new ArrayList<>();
                for (Object e : row.getList(at)) {
                    out.add(e instanceof Row r && element.isRecord() ? record(r, element.asSubclass(Record.class)) : e);
                }
                args[i] = out;
            } else if (java.util.Map.class.isAssignableFrom(c.getType())) {
                args[i] = new java.util.LinkedHashMap<>(row.getJavaMap(at));
            } else {
                args[i] = row.get(at);
            }
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new TracerException("cannot read a " + type.getSimpleName() + " from " + row, e);
        }
    }

    private static Class<?> elementType(RecordComponent c) {
        if (c.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> k) {
            return k;
        }
        return Object.class;
    }
}
