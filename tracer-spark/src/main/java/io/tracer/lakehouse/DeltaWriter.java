package io.tracer.lakehouse;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.TracerException;
import io.tracer.config.ConfigKeys;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;

/**
 * Writes one run's rows into a metric table, idempotently: writing run r again replaces r's
 * rows (Delta {@code replaceWhere "run_id = 'r'"} with mode overwrite) instead of adding a second
 * copy, and leaves other runs' rows alone. Each commit carries the run id as its userMetadata,
 * so DESCRIBE HISTORY shows which run made it.
 *
 * <p>The table is created with its explicit schema (comments included) when absent. The tables
 * are not partitioned: they hold a few rows per run, and partitioning by a high-cardinality run
 * id would only make small files; replaceWhere on a data column works without partitions.
 */
public final class DeltaWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaWriter.class);
    /** Safe inside the replaceWhere string literal and as a directory name. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SparkSession spark;
    private final LakehouseLayout layout;
    private final Set<MetricTable> ready = ConcurrentHashMap.newKeySet();

    public DeltaWriter(SparkSession spark, LakehouseLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * Replaces {@code runId}'s rows in {@code table} with {@code rows}. An empty {@code rows}
     * removes the run's rows. Column order does not matter; names and types must match the
     * table's schema exactly, and every row's run_id must be {@code runId}.
     *
     * @return the Delta version this write committed
     * @throws TracerException   when the DataFrame does not match the table's schema
     * @throws BadInputException when the table on disk has a different schema, or the run id is unusable
     */
    public long write(MetricTable table, String runId, Dataset<Row> rows) {
        requireRunId(runId);
        Dataset<Row> conformed = conform(table, rows);
        String uri = layout.uri(table);
        DeltaRetry.run("run " + runId + "'s rows in " + table.tableName(), () -> {
            ensureTable(table, uri);
            try {
                conformed.write()
                        .format("delta")
                        .mode("overwrite")
                        .option("replaceWhere", MetricTables.RUN_ID + " = '" + runId + "'")
                        .option("userMetadata", runId)
                        .save(uri);
            } catch (Exception e) {
                // Delta's AnalysisException is checked to javac but thrown unchecked by Scala: catch Exception.
                if (mentions(e, "DELTA_REPLACE_WHERE_MISMATCH") || mentions(e, "does not conform to partial table overwrite")) {
                    throw new TracerException("rows written to " + table.tableName() + " for run " + runId
                            + " include rows whose run_id is not '" + runId + "'", e);
                }
                throw sneaky(e);
            }
        });
        long version = DeltaTable.forPath(spark, uri).history(1).select("version").head().getLong(0);
        LOG.info("wrote run {} to {} (Delta version {})", runId, uri, version);
        io.tracer.Faults.point("table." + table.tableName());
        return version;
    }

    /**
     * Checks {@code rows} against the table's schema (names and types; nullability is checked
     * by Delta on write) and selects the columns in the table's order.
     */
    static Dataset<Row> conform(MetricTable table, Dataset<Row> rows) {
        String problems = schemaProblems(table.schema(), rows.schema());
        if (!problems.isEmpty()) {
            throw new TracerException("rows for metric table " + table.tableName() + " do not match its schema: "
                    + problems + ". Expected " + table.schema().simpleString());
        }
        Column[] cols = Arrays.stream(table.schema().fieldNames()).map(n -> col("`" + n + "`")).toArray(Column[]::new);
        return rows.select(cols);
    }

    /** Missing, unexpected and mistyped columns, as one sentence; empty when the schemas match. */
    static String schemaProblems(StructType expected, StructType actual) {
        Map<String, DataType> have = new LinkedHashMap<>();
        for (StructField f : actual.fields()) {
            have.put(f.name(), f.dataType());
        }
        List<String> missing = new ArrayList<>();
        List<String> mistyped = new ArrayList<>();
        for (StructField f : expected.fields()) {
            DataType got = have.remove(f.name());
            if (got == null) {
                missing.add(f.name());
            } else if (!sameType(f.dataType(), got)) {
                mistyped.add(f.name() + " is " + got.simpleString() + ", expected " + f.dataType().simpleString());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing columns " + missing);
        }
        if (!have.isEmpty()) {
            parts.add("unexpected columns " + new ArrayList<>(have.keySet()));
        }
        if (!mistyped.isEmpty()) {
            parts.add("wrong types: " + String.join("; ", mistyped));
        }
        return String.join("; ", parts);
    }

    /** Type equality ignoring nullability and field metadata (comments). */
    static boolean sameType(DataType a, DataType b) {
        if (a instanceof ArrayType x && b instanceof ArrayType y) {
            return sameType(x.elementType(), y.elementType());
        }
        if (a instanceof MapType x && b instanceof MapType y) {
            return sameType(x.keyType(), y.keyType()) && sameType(x.valueType(), y.valueType());
        }
        if (a instanceof StructType x && b instanceof StructType y) {
            if (x.fields().length != y.fields().length) {
                return false;
            }
            for (int i = 0; i < x.fields().length; i++) {
                if (!x.fields()[i].name().equals(y.fields()[i].name())
                        || !sameType(x.fields()[i].dataType(), y.fields()[i].dataType())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private void ensureTable(MetricTable table, String uri) {
        if (ready.contains(table)) {
            return;
        }
        if (DeltaTable.isDeltaTable(spark, uri)) {
            StructType onDisk = DeltaTable.forPath(spark, uri).toDF().schema();
            List<StructField> added = addedColumns(table.schema(), onDisk,
                    MetricTables.addedSinceFirstRelease(table.schema()));
            if (!added.isEmpty()) {
                addColumns(table, uri, added);
                onDisk = DeltaTable.forPath(spark, uri).toDF().schema();
            }
            String problems = schemaProblems(table.schema(), onDisk);
            if (!problems.isEmpty()) {
                throw new BadInputException("metric table " + table.tableName() + " at " + uri
                        + " has a different schema than this tracer writes: " + problems
                        + ". Point " + ConfigKeys.LAKEHOUSE_ROOT + " elsewhere or migrate the table.");
            }
        } else {
            // DDL rather than a DataFrame write, so NOT NULL and the column comments are kept;
            // IF NOT EXISTS, so two runs creating the same table at once both succeed.
            spark.sql("CREATE TABLE IF NOT EXISTS delta.`" + uri.replace("`", "``") + "` ("
                    + table.schema().toDDL() + ") USING delta");
            LOG.debug("created metric table {} at {}", table.tableName(), uri);
        }
        layout.catalogTable(table).ifPresent(name -> register(name, uri));
        ready.add(table);
    }

    /**
     * Columns this release writes that the table on disk lacks, when that is the only difference
     * and every one of them is a column added since the table's first release ({@code addable}):
     * an older release wrote the table. Empty otherwise, so any other mismatch is reported, never
     * migrated.
     */
    static List<StructField> addedColumns(StructType expected, StructType onDisk, List<String> addable) {
        Set<String> have = new java.util.HashSet<>(Arrays.asList(onDisk.fieldNames()));
        List<StructField> added = new ArrayList<>();
        for (StructField f : expected.fields()) {
            if (!have.contains(f.name())) {
                if (!addable.contains(f.name())) {
                    return List.of();
                }
                added.add(f);
            }
        }
        StructType withAdded = onDisk;
        for (StructField f : added) {
            withAdded = withAdded.add(f);
        }
        return schemaProblems(expected, withAdded).isEmpty() ? added : List.of();
    }

    /**
     * Schema evolution: a table written by an older release gets this release's new columns,
     * appended with their comments (older rows read them as null). Writes match columns by name,
     * so their position does not matter.
     */
    private void addColumns(MetricTable table, String uri, List<StructField> added) {
        StructType columns = new StructType(added.toArray(new StructField[0]));
        spark.sql("ALTER TABLE delta.`" + uri.replace("`", "``") + "` ADD COLUMNS (" + columns.toDDL() + ")");
        LOG.info("metric table {} at {}: added columns {} (written by an older release)", table.tableName(), uri,
                Arrays.stream(columns.fieldNames()).toList());
    }

    private void register(String name, String uri) {
        String db = LakehouseLayout.quote(layout.database());
        try {
            if (!spark.catalog().databaseExists(layout.database())) {
                spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
            }
            spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION '" + uri.replace("'", "\\'") + "'");
        } catch (Exception e) {
            throw new TracerException("cannot register " + name + " at " + uri + " in the catalog: " + e.getMessage(), e);
        }
        LOG.info("registered {} at {}", name, uri);
    }

    private static void requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new BadInputException("run id '" + runId + "' is not usable as a table key: use 1-128 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
    }

    /** Rethrows a checked exception Scala code threw without declaring it. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
