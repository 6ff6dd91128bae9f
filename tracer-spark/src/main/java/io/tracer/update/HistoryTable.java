package io.tracer.update;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.TracerException;
import io.tracer.config.ConfigKeys;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.embed.EncoderInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

/**
 * The trace history: a Delta table of validated, embedded traces, one row per trace id, that
 * {@code tracer update} grows and refits on. New rows are merged on trace id and an id already
 * present keeps its stored row (a trace is a fact once logged; a re-logged copy is not a
 * correction), so merging the same batch twice changes nothing. Each row records the run that
 * added it ({@value #ADDED_BY_RUN_ID}, {@value #ADDED_AT}) and the table it came from
 * ({@value #SOURCE_URI}); each merge commit carries the run id as its userMetadata, so DESCRIBE
 * HISTORY says which run made it.
 *
 * <p>Columns: trace_id, input, teacher, ts, ground_truth, embedding (array&lt;float&gt; tagged with
 * its encoder), source_uri, source_file, source_line, added_by_run_id, added_at. The trace loader
 * reads it like any Delta trace table (the extra columns match no alias and are ignored).
 */
public final class HistoryTable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryTable.class);

    /** The trace table a row was merged from. */
    public static final String SOURCE_URI = "source_uri";
    /** The run whose merge added the row. */
    public static final String ADDED_BY_RUN_ID = "added_by_run_id";
    /** When that merge ran. */
    public static final String ADDED_AT = "added_at";

    private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
    private static final DataType STRING = DataTypes.StringType;

    /** Name and type of every column, in table order (the embedding's encoder is checked apart). */
    static final StructType SCHEMA = new StructType()
            .add(Columns.TRACE_ID, STRING)
            .add(Columns.INPUT, STRING)
            .add(Columns.TEACHER, STRING)
            .add(Columns.TIMESTAMP, DataTypes.TimestampType)
            .add(Columns.GROUND_TRUTH, STRING)
            .add(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, true))
            .add(SOURCE_URI, STRING)
            .add(Columns.SOURCE_FILE, STRING)
            .add(Columns.SOURCE_LINE, DataTypes.LongType)
            .add(ADDED_BY_RUN_ID, STRING)
            .add(ADDED_AT, DataTypes.TimestampType);

    private final SparkSession spark;
    private final String uri;

    /** @param uri a Hadoop URI; qualified here so that runs name the same table the same way */
    public HistoryTable(SparkSession spark, String uri) {
        this.spark = spark;
        this.uri = qualify(uri, spark.sparkContext().hadoopConfiguration());
    }

    /** The qualified URI: what the runs table records as the traces of an update's fit. */
    public String uri() {
        return uri;
    }

    public boolean exists() {
        return DeltaTable.isDeltaTable(spark, uri);
    }

    /** The encoder of the stored vectors, when the table exists. */
    public Optional<EncoderInfo> encoder() {
        if (!exists()) {
            return Optional.empty();
        }
        StructType schema = DeltaTable.forPath(spark, uri).toDF().schema();
        requireSchema(schema);
        return Optional.of(EncoderInfo.of(schema.apply(Columns.EMBEDDING)).orElseThrow(() -> new BadInputException(
                "trace history " + uri + ": column " + Columns.EMBEDDING + " carries no encoder metadata ("
                        + EncoderInfo.ENCODER_KEY + "); it was not written by tracer update")));
    }

    /**
     * Refuses new vectors from another encoder than the stored ones: a surrogate fitted on a mix
     * of two embedding spaces means nothing. Call it before embedding, to fail early.
     */
    public void requireEncoder(EncoderInfo incoming) {
        encoder().ifPresent(have -> {
            if (!have.equals(incoming)) {
                // A history of a built-in encoder's vectors is kept by configuring that encoder.
                String remedy = BuiltInEncoder.matching(have.id(), have.dim())
                        .map(b -> "; set " + ConfigKeys.EMBED_ENCODER + " = " + b.id()
                                + " to embed them as the history's were (or start a new history)")
                        .orElse("; embed the new traces with " + have.id() + " (or start a new history)");
                throw new BadInputException("trace history " + uri + " holds vectors from " + have.describe()
                        + " but the new traces' vectors are from " + incoming.describe() + remedy);
            }
        });
    }

    /** The stored rows. */
    public Dataset<Row> read() {
        return spark.read().format("delta").load(uri);
    }

    /**
     * Adds the traces whose id the history lacks, creating the table on first use.
     *
     * @param valid     validated traces with one row per trace id and a tagged embedding column
     *                  (as {@code TraceLoader} and {@code Embedder} leave them); read twice (a
     *                  count, then the merge), so pass it persisted when reading it is costly
     * @param runId     recorded on every added row and on the commit
     * @param sourceUri where the new traces were read from, recorded on every added row
     */
    public MergeResult merge(Dataset<Row> valid, String runId, String sourceUri) {
        EncoderInfo encoder = EncoderInfo.of(valid).orElseThrow(() -> new BadInputException(
                "new traces from " + sourceUri + " have no tagged " + Columns.EMBEDDING
                        + " column; embed them before merging into the history"));
        Dataset<Row> conformed = conform(valid, encoder, runId, sourceUri);
        // A MERGE inserts every unmatched source row, so a trace id the source repeats would land
        // twice. The loader leaves one row per id, but the rows are recomputed for the MERGE, and
        // an update that ran beside another once offered 50 traces and inserted 60 (the embedding
        // join gave some traces two rows). One row per id here keeps the history's key a key.
        Dataset<Row> rows = conformed.dropDuplicates(Columns.TRACE_ID);
        io.tracer.Faults.point("history.merge");
        boolean[] created = {false};
        long[] versionBefore = {-1};
        String commitNote = "run " + runId + ": merge traces from " + sourceUri;
        // rows and distinct ids in one pass over the source, not a count of each dataset
        Row counts = conformed.agg(org.apache.spark.sql.functions.count(lit(1)),
                org.apache.spark.sql.functions.countDistinct(col(Columns.TRACE_ID))).first();
        long given = counts.getLong(0);
        long offered = counts.getLong(1);
        if (given > offered) {
            LOG.warn("run {}: {} rows repeat a trace id of another row in these new traces; each id is merged once",
                    runId, given - offered);
        }
        // A MERGE that inserts only the ids the history lacks is idempotent, so losing the commit
        // race to another update and running it again cannot insert a trace twice.
        io.tracer.lakehouse.DeltaRetry.run("the traces of run " + runId + " into the trace history " + uri, () -> {
            if (exists()) {
                requireEncoder(encoder);
            } else {
                requireNothingThere();
                // An empty write creates the table with the schema, the encoder metadata included;
                // "ignore" leaves a table another run created meanwhile alone. Then one MERGE path.
                rows.limit(0).write().format("delta").mode("ignore").save(uri);
                created[0] = true;
                LOG.info("created trace history {} ({})", uri, encoder.describe());
            }
            versionBefore[0] = latestVersion();
            String before = spark.conf().get(USER_METADATA, null);
            spark.conf().set(USER_METADATA, commitNote);
            try {
                DeltaTable.forPath(spark, uri).as("h")
                        .merge(rows.as("n"), "h." + Columns.TRACE_ID + " = n." + Columns.TRACE_ID)
                        .whenNotMatched().insertAll()
                        .execute();
            } finally {
                if (before == null) {
                    spark.conf().unset(USER_METADATA);
                } else {
                    spark.conf().set(USER_METADATA, before);
                }
            }
        });
        io.tracer.Faults.point("history.merged");
        // A merge that inserts nothing commits nothing, so look for this merge's own commit
        // (by its note, after the version seen before) rather than taking the latest one.
        List<Row> commit = DeltaTable.forPath(spark, uri).history()
                .where(col("version").gt(versionBefore[0]).and(col("userMetadata").equalTo(commitNote)))
                .orderBy(col("version").desc()).select("version", "operationMetrics").limit(1).collectAsList();
        long inserted = commit.isEmpty() ? 0 : metric(commit.get(0).getJavaMap(1), "numTargetRowsInserted");
        long version = commit.isEmpty() ? latestVersion() : commit.get(0).getLong(0);
        long total = read().count();
        MergeResult result = new MergeResult(offered, inserted, offered - inserted, total, version, created[0]);
        LOG.info("run {}: {}", runId, result.describe());
        return result;
    }

    /** The new rows in the history's columns and types, stamped with the run. */
    static Dataset<Row> conform(Dataset<Row> valid, EncoderInfo encoder, String runId, String sourceUri) {
        List<String> have = Arrays.asList(valid.columns());
        for (String required : List.of(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER)) {
            if (!have.contains(required)) {
                throw new TracerException("rows for the trace history lack column " + required);
            }
        }
        List<Column> out = new ArrayList<>();
        for (StructField f : SCHEMA.fields()) {
            String name = f.name();
            Column c;
            if (name.equals(SOURCE_URI)) {
                c = lit(sourceUri);
            } else if (name.equals(ADDED_BY_RUN_ID)) {
                c = lit(runId);
            } else if (name.equals(ADDED_AT)) {
                c = current_timestamp();
            } else if (have.contains(name)) {
                c = col(name).cast(f.dataType());
            } else {
                c = lit(null).cast(f.dataType());
            }
            out.add(name.equals(Columns.EMBEDDING) ? encoder.tag(c, name) : c.as(name));
        }
        return valid.select(out.toArray(Column[]::new));
    }

    private void requireSchema(StructType onDisk) {
        Map<String, DataType> types = new LinkedHashMap<>();
        for (StructField f : onDisk.fields()) {
            types.put(f.name(), f.dataType());
        }
        List<String> problems = new ArrayList<>();
        for (StructField f : SCHEMA.fields()) {
            DataType t = types.get(f.name());
            if (t == null) {
                problems.add("missing " + f.name());
            } else if (!t.catalogString().equals(f.dataType().catalogString())) {
                problems.add(f.name() + " is " + t.catalogString() + ", expected " + f.dataType().catalogString());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("trace history " + uri + " is not a tracer trace history: "
                    + String.join("; ", problems) + ". Point --history at a new location to start one.");
        }
    }

    /** A non-Delta directory at the history's URI is someone else's data: never write into it. */
    private void requireNothingThere() {
        Path p = new Path(uri);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(p) && (!fs.getFileStatus(p).isDirectory() || fs.listStatus(p).length > 0)) {
                throw new BadInputException("trace history " + uri + " exists but is not a Delta table; "
                        + "point --history at a Delta table written by tracer update, or at a new location");
            }
        } catch (IOException e) {
            throw new TracerException("cannot inspect trace history location " + uri + ": " + e, e);
        }
    }

    private long latestVersion() {
        return DeltaTable.forPath(spark, uri).history(1).select("version").head().getLong(0);
    }

    private static long metric(Map<String, String> metrics, String key) {
        String v = metrics.get(key);
        if (v == null) {
            throw new TracerException("the trace history merge reported no " + key + " (metrics " + metrics + ")");
        }
        return Long.parseLong(v);
    }

    /** Qualified against its file system; a relative {@code file:} path resolves against the working directory. */
    static String qualify(String uri, Configuration conf) {
        String u = uri.trim();
        try {
            Path path = u.startsWith("file:") && !u.startsWith("file:/")
                    ? FileSystem.getLocal(conf).makeQualified(new Path(u.substring("file:".length())))
                    : new Path(u).getFileSystem(conf).makeQualified(new Path(u));
            String s = path.toString();
            return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--history '" + uri + "' is not a valid Hadoop URI: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TracerException("cannot open the file system of trace history " + uri + ": " + e, e);
        }
    }
}
