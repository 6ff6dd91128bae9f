package io.tracer.lakehouse;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.CodeVersion;
import io.tracer.TracerException;
import io.tracer.config.ConfigKeys;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Writes one run's rows into a metric table, idempotently: writing run r again replaces r's
 * rows (Delta {@code replaceWhere "run_id = 'r'"} with mode overwrite) instead of adding a second
 * copy, and leaves other runs' rows alone. Each commit carries the run id as its userMetadata,
 * so DESCRIBE HISTORY shows which run made it.
 *
 * <p>Without a catalog prefix a table is its path, {@code <root>/<table>}. With one
 * ({@link LakehouseLayout#catalog()}) it is the catalog table {@code <catalog>.<table>}, an
 * external Delta table at that same path, and rows go through the name
 * ({@code writeTo(name).overwrite(run_id = r)}, the same replaceWhere underneath). A Delta table
 * already at the path (a lakehouse from before the catalog, or an older registration) is
 * registered in place; nothing is copied.
 *
 * <p>Every table describes itself ({@link #ensure}): created with its explicit schema, the column
 * comments, its table comment and the properties {@value TableDefinition#SCHEMA_VERSION} and
 * {@value TableDefinition#WRITER_VERSION}; a table from an older release gets the columns added
 * since its schema version (with their comments), and comments and properties brought up to date.
 * A table written by a newer release (higher schema version) is refused, never altered.
 *
 * <p>The tables are not partitioned: they hold a few rows per run, and partitioning by a
 * high-cardinality run id would only make small files; replaceWhere on a data column works
 * without partitions.
 */
public final class DeltaWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaWriter.class);
    /** Safe inside the replaceWhere string literal and as a directory name. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SparkSession spark;
    private final LakehouseLayout layout;
    /**
     * The tables this writer has ensured, each with its location as the table reports it (a
     * catalog table may live elsewhere than under the root).
     */
    private final Map<String, String> locations = new ConcurrentHashMap<>();

    public DeltaWriter(SparkSession spark, LakehouseLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * Replaces {@code runId}'s rows in {@code table} with {@code rows}. An empty {@code rows}
     * removes the run's rows. Column order does not matter; names and types must match the
     * table's schema exactly, and every row's run_id must be {@code runId}.
     *
     * @return the table's latest Delta version right after this write: this write's commit,
     *         unless another writer committed to the table in between
     * @throws TracerException   when the DataFrame does not match the table's schema
     * @throws BadInputException when the table has a different schema, was written by a newer
     *                           release, or the run id is unusable
     */
    public long write(MetricTable table, String runId, Dataset<Row> rows) {
        return write(table.definition(), runId, rows);
    }

    /** One table's rows for {@link #writeAll}, computed in the thread that writes them. */
    public record Pending(MetricTable table, Supplier<Dataset<Row>> rows) {}

    /**
     * Writes one run's rows into several tables at once, each as {@link #write} does. A metric
     * write is mostly driver-side waiting (Delta's log, the commit, a small job), half a second or
     * more each even for a few rows, so the tables go side by side on a small pool. Each write is
     * atomic on its own, as before; nothing was ever atomic across tables (the runs table says
     * whether the run finished). Every write is waited for before anything is thrown, so a failed
     * call leaves no write running; the first failure in {@code writes}' order is thrown (an
     * Error as it is), the others added to it as suppressed.
     */
    public void writeAll(String runId, List<Pending> writes) {
        if (writes.size() <= 1) {
            writes.forEach(w -> write(w.table(), runId, w.rows().get()));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(writes.size(), MAX_CONCURRENT_WRITES), r -> {
            Thread t = new Thread(r, "metric-write");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (Pending w : writes) {
                futures.add(pool.submit(() -> write(w.table(), runId, w.rows().get())));
            }
            Throwable first = null;
            for (int i = 0; i < futures.size(); i++) {
                Throwable failure = null;
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    failure = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    failure = new TracerException("interrupted while writing run " + runId + "'s "
                            + writes.get(i).table().definition().name() + " rows", e);
                }
                if (failure != null && first == null) {
                    first = failure;
                } else if (failure != null) {
                    first.addSuppressed(failure);
                }
            }
            if (first != null) {
                throw sneaky(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Metric writes in flight at once: enough to overlap their waits on a 2-core driver. */
    private static final int MAX_CONCURRENT_WRITES = 3;

    long write(TableDefinition table, String runId, Dataset<Row> rows) {
        requireRunId(runId);
        Dataset<Row> conformed = conform(table.name(), table.schema(), rows);
        Optional<String> name = layout.catalogTable(table.name());
        String sqlName = DeltaRetry.run("run " + runId + "'s rows in " + table.name(), () -> {
            String ensured = ensure(table);
            try {
                if (name.isPresent()) {
                    conformed.writeTo(name.get())
                            .option("userMetadata", runId)
                            .overwrite(col(MetricTables.RUN_ID).equalTo(lit(runId)));
                } else {
                    conformed.write()
                            .format("delta")
                            .mode("overwrite")
                            .option("replaceWhere", MetricTables.RUN_ID + " = '" + runId + "'")
                            .option("userMetadata", runId)
                            .save(layout.uri(table.name()));
                }
            } catch (Exception e) {
                // Delta's AnalysisException is checked to javac but thrown unchecked by Scala: catch Exception.
                if (mentions(e, "DELTA_REPLACE_WHERE_MISMATCH") || mentions(e, "does not conform to partial table overwrite")) {
                    throw new TracerException("rows written to " + table.name() + " for run " + runId
                            + " include rows whose run_id is not '" + runId + "'", e);
                }
                throw sneaky(e);
            }
            return ensured;
        });
        long version = latestVersion(locations.get(table.name()), sqlName);
        LOG.info("wrote run {} to {} (Delta version {})", runId, sqlName, version);
        io.tracer.Faults.point("table." + table.name());
        return version;
    }

    /**
     * Makes sure {@code table} exists and describes itself, as before a write, and returns where
     * to append to it: its catalog name (backtick-quoted) with a catalog prefix, else its URI.
     * The quarantine is appended to this way ({@code io.tracer.traces.TraceLoader}).
     */
    public String prepare(MetricTable table) {
        DeltaRetry.run("the metric table " + table.name(), () -> {
            ensure(table.definition());
        });
        return layout.catalogTable(table).orElseGet(() -> layout.uri(table));
    }

    /**
     * Checks {@code rows} against the table's schema (names and types; nullability is checked
     * by Delta on write) and selects the columns in the table's order.
     */
    static Dataset<Row> conform(String table, StructType schema, Dataset<Row> rows) {
        String problems = schemaProblems(schema, rows.schema());
        if (!problems.isEmpty()) {
            throw new TracerException("rows for metric table " + table + " do not match its schema: "
                    + problems + ". Expected " + schema.simpleString());
        }
        Column[] cols = Arrays.stream(schema.fieldNames()).map(n -> col("`" + n + "`")).toArray(Column[]::new);
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

    /**
     * Creates the table, or registers the Delta table at its path, or brings an existing one up to
     * this release's schema, comments and properties; returns its SQL name. Done once per writer
     * and table.
     */
    private String ensure(TableDefinition table) {
        String uri = layout.uri(table.name());
        String sqlName = layout.sqlName(table.name());
        if (locations.containsKey(table.name())) {
            return sqlName;
        }
        Optional<String> name = layout.catalogTable(table.name());
        boolean exists;
        if (name.isPresent()) {
            exists = registered(name.get());
            if (!exists) {
                createSchemaIfMissing();
                if (DeltaTable.isDeltaTable(spark, uri)) {
                    // Written before the catalog (a path-only lakehouse, or an older registration that
                    // is gone): register the data where it is; the checks below bring it up to date.
                    spark.sql("CREATE TABLE IF NOT EXISTS " + name.get() + " USING delta LOCATION " + literal(uri));
                    LOG.info("registered the metric table at {} as {}", uri, name.get());
                    exists = true;
                }
            }
        } else {
            exists = DeltaTable.isDeltaTable(spark, uri);
        }
        if (!exists) {
            refuseForeignFiles(sqlName, uri);
            try {
                // DDL rather than a DataFrame write, so NOT NULL, the comments and the properties are
                // kept; IF NOT EXISTS, so two runs creating the same table at once both succeed.
                spark.sql("CREATE TABLE IF NOT EXISTS " + sqlName + " (" + table.schema().toDDL() + ") USING delta"
                        + " COMMENT " + literal(table.comment())
                        + " TBLPROPERTIES (" + properties(table) + ")"
                        + (name.isPresent() ? " LOCATION " + literal(uri) : ""));
            } catch (Exception e) {
                if (mentions(e, "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION")) {
                    // Delta checked that no table was there, then another run put the table's first
                    // commit before Delta checked that the location was empty: that run created it,
                    // so the next attempt finds the table and writes to it (or, if what appeared is
                    // not a Delta log, refuses the location before creating).
                    throw new DeltaRetry.RaceLost("metric table " + sqlName + " was created by another run", e);
                }
                throw sneaky(e);
            }
            LOG.debug("created metric table {} at {}", sqlName, uri);
        }
        Detail detail;
        try {
            detail = detail(sqlName);
        } catch (Exception e) {
            // Delta's AnalysisException is checked to javac but thrown unchecked by Scala: catch Exception.
            if (!exists && mentions(e, "DELTA_MISSING_DELTA_TABLE")) {
                // Another run created the table's log directory and has not put its first commit yet,
                // so our CREATE ... IF NOT EXISTS found nothing to do and nothing to read: retry.
                throw creationInProgress(sqlName, e);
            }
            throw sneaky(e);
        }
        if (!exists && !DeltaTable.isDeltaTable(spark, detail.location())) {
            // The same race, seen from the metadata commands: where DESCRIBE DETAIL failed on a log
            // directory without a commit, they may answer for an empty table. Retry, as above.
            throw creationInProgress(sqlName, null);
        }
        if (name.isPresent() && !sameLocation(detail.location(), uri)) {
            LOG.warn("catalog table {} is at {}, not at {} under the lakehouse root: tracer reads and writes the "
                    + "catalog table", name.get(), detail.location(), uri);
        }
        evolve(table, sqlName, detail);
        locations.put(table.name(), detail.location());
        return sqlName;
    }

    private static DeltaRetry.RaceLost creationInProgress(String sqlName, Throwable cause) {
        return new DeltaRetry.RaceLost("metric table " + sqlName + " is being created by another run", cause);
    }

    /**
     * Schema evolution and self-description of an existing table: refuses a table a newer release
     * wrote; adds the columns added since the table's schema version (all added columns when it
     * has none: an older release that did not record it); refuses any other difference; then sets
     * column comments, table comment and properties where they differ from this release's.
     */
    private void evolve(TableDefinition table, String sqlName, Detail detail) {
        int onDiskVersion = schemaVersion(detail.properties());
        if (onDiskVersion > table.schemaVersion()) {
            throw new BadInputException("metric table " + sqlName + " has schema version " + onDiskVersion
                    + " (written by tracer " + detail.properties().getOrDefault(TableDefinition.WRITER_VERSION, "?")
                    + "); this tracer (" + CodeVersion.get() + ") writes version " + table.schemaVersion()
                    + ": run a newer tracer, or point " + ConfigKeys.LAKEHOUSE_ROOT + " elsewhere");
        }
        StructType onDisk = schema(sqlName);
        List<StructField> added = addedColumns(table.schema(), onDisk, table.addedAfter(onDiskVersion));
        if (!added.isEmpty()) {
            StructType columns = new StructType(added.toArray(new StructField[0]));
            spark.sql("ALTER TABLE " + sqlName + " ADD COLUMNS (" + columns.toDDL() + ")");
            LOG.info("metric table {}: added columns {} (schema version {} -> {})", sqlName,
                    Arrays.stream(columns.fieldNames()).toList(), onDiskVersion == 0 ? "unrecorded" : onDiskVersion,
                    table.schemaVersion());
            onDisk = schema(sqlName);
        }
        String problems = schemaProblems(table.schema(), onDisk);
        if (!problems.isEmpty()) {
            throw new BadInputException("metric table " + sqlName + " has a different schema than this tracer writes: "
                    + problems + ". Point " + ConfigKeys.LAKEHOUSE_ROOT + " elsewhere or migrate the table.");
        }
        for (StructField f : table.schema().fields()) {
            String want = f.getComment().getOrElse(() -> "");
            String have = onDisk.apply(f.name()).getComment().getOrElse(() -> "");
            if (!want.equals(have)) {
                spark.sql("ALTER TABLE " + sqlName + " ALTER COLUMN " + quoteColumn(f.name()) + " COMMENT "
                        + literal(want));
            }
        }
        if (!table.comment().equals(detail.description())
                || !String.valueOf(table.schemaVersion()).equals(detail.properties().get(TableDefinition.SCHEMA_VERSION))
                || !CodeVersion.get().equals(detail.properties().get(TableDefinition.WRITER_VERSION))) {
            spark.sql("ALTER TABLE " + sqlName + " SET TBLPROPERTIES ('comment' = " + literal(table.comment()) + ", "
                    + properties(table) + ")");
            LOG.debug("metric table {}: comment and properties set (schema version {}, writer {})", sqlName,
                    table.schemaVersion(), CodeVersion.get());
        }
    }

    /** The table's {@value TableDefinition#SCHEMA_VERSION}, 0 when it has none (written before it was recorded). */
    static int schemaVersion(Map<String, String> properties) {
        String v = properties.get(TableDefinition.SCHEMA_VERSION);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("table property " + TableDefinition.SCHEMA_VERSION + " = '" + v
                    + "' is not a number");
        }
    }

    private static String properties(TableDefinition table) {
        return "'" + TableDefinition.SCHEMA_VERSION + "' = '" + table.schemaVersion() + "', '"
                + TableDefinition.WRITER_VERSION + "' = " + literal(CodeVersion.get());
    }

    /** What a table says of itself that matters here: where it is, its comment and its properties. */
    record Detail(String location, String description, Map<String, String> properties) {}

    /**
     * The table's location, comment and properties from its metadata alone. DESCRIBE DETAIL
     * would give the same three, but it also sizes the table, which replays the whole Delta log
     * into the list of live files: about 0.4 s a table on a 2-core machine (a table of 40
     * commits), for values this writer never reads, paid by every table of every run. SHOW
     * TBLPROPERTIES (the properties, without the reserved ones) and DESCRIBE TABLE EXTENDED (the
     * reserved comment and location) read the metadata only, in about 20 ms each.
     */
    Detail detail(String sqlName) {
        Map<String, String> props = new LinkedHashMap<>();
        for (Row r : spark.sql("SHOW TBLPROPERTIES " + sqlName).collectAsList()) {
            props.put(r.getString(0), r.isNullAt(1) ? "" : r.getString(1));
        }
        String location = null;
        String description = "";
        boolean tableInformation = false;
        for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + sqlName).collectAsList()) {
            String key = r.isNullAt(0) ? "" : r.getString(0).trim();
            if (key.startsWith("# Detailed Table Information")) {
                // the rows before it are the columns, one of which might be named Location or Comment
                tableInformation = true;
            } else if (tableInformation && key.equals("Location")) {
                location = r.isNullAt(1) ? null : r.getString(1);
            } else if (tableInformation && key.equals("Comment")) {
                description = r.isNullAt(1) ? "" : r.getString(1);
            }
        }
        if (location == null) {
            throw new TracerException("DESCRIBE TABLE EXTENDED " + sqlName + " gave no Location row; this Spark or "
                    + "Delta release describes tables differently from the ones tracer was built with");
        }
        return new Detail(location, description, Map.copyOf(props));
    }

    /** Delta commit files in a table's _delta_log: the version, zero-padded to 20 digits, then ".json". */
    private static final Pattern COMMIT_FILE = Pattern.compile("(\\d{20})\\.json");

    /**
     * The table's latest version, from the commit files in its _delta_log (the Delta protocol's
     * layout), as DESCRIBE HISTORY LIMIT 1 would give it after a Spark job that reads the last
     * commit; falls back to that when the log holds no commit file this writer recognises.
     */
    private long latestVersion(String location, String sqlName) {
        long latest = -1;
        try {
            Path log = new Path(location, "_delta_log");
            FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (FileStatus f : fs.listStatus(log, p -> COMMIT_FILE.matcher(p.getName()).matches())) {
                latest = Math.max(latest, Long.parseLong(f.getPath().getName().substring(0, 20)));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("cannot list the Delta log of {}: {}; asking DESCRIBE HISTORY", sqlName, e.getMessage());
        }
        return latest >= 0 ? latest
                : spark.sql("DESCRIBE HISTORY " + sqlName + " LIMIT 1").select("version").head().getLong(0);
    }

    private StructType schema(String sqlName) {
        return spark.table(sqlName).schema();
    }

    private boolean registered(String name) {
        try {
            return spark.catalog().tableExists(name);
        } catch (Exception e) {
            throw new TracerException("cannot look up " + name + " in the catalog: " + e.getMessage(), e);
        }
    }

    private void createSchemaIfMissing() {
        String prefix = layout.catalog();
        boolean exists;
        try {
            exists = spark.catalog().databaseExists(prefix);
        } catch (Exception e) {
            exists = false;
        }
        if (!exists) {
            try {
                spark.sql("CREATE SCHEMA IF NOT EXISTS " + LakehouseLayout.quote(prefix));
                LOG.info("created schema {} for the metric tables", prefix);
            } catch (Exception e) {
                throw new TracerException("cannot create schema " + prefix + " (" + ConfigKeys.LAKEHOUSE_CATALOG
                        + "): " + e.getMessage() + "; create it, or grant CREATE SCHEMA", e);
            }
        }
    }

    /** Same place, whatever the spelling of an absolute local URI (file:/x, file:///x) or a trailing slash. */
    static boolean sameLocation(String a, String b) {
        return normalise(a).equals(normalise(b));
    }

    private static String normalise(String uri) {
        String u = uri == null ? "" : uri.trim().replaceFirst("^file:///", "file:/");
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** A Spark SQL string literal. */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String quoteColumn(String name) {
        return "`" + name.replace("`", "``") + "`";
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

    private static void requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new BadInputException("run id '" + runId + "' is not usable as a table key: use 1-128 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
    }

    /**
     * Refuses a table location that holds files but no Delta log. tracer creates every metric
     * table by DDL, which writes the log before anything else, so a racing run leaves either
     * nothing or a log there; other files are someone else's, and waiting for them to become a
     * table (as for a race) would only end in a misleading "other writers kept committing".
     */
    private void refuseForeignFiles(String sqlName, String uri) {
        Path path = new Path(uri);
        List<String> names = new ArrayList<>();
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path) || fs.exists(new Path(path, "_delta_log"))) {
                return;
            }
            for (FileStatus status : fs.listStatus(path)) {
                names.add(status.getPath().getName());
            }
        } catch (IOException e) {
            throw new TracerException("cannot list the location " + uri + " of metric table " + sqlName + ": "
                    + e.getMessage(), e);
        }
        if (!names.isEmpty()) {
            Collections.sort(names);
            throw new BadInputException("metric table " + sqlName + ": its location " + uri + " holds "
                    + names.size() + " file(s) but no Delta table (no _delta_log), for example "
                    + String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + "; tracer does not write over files it did not create: move them away, or point "
                    + ConfigKeys.LAKEHOUSE_ROOT + " elsewhere");
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
