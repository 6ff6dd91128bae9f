package io.tracer.traces;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.TracerException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * Reads one trace table in its storage format, keeping where each row came from.
 *
 * <p>Source lines: JSONL files are read whole ({@code wholetext}) and split into lines with
 * {@code posexplode}, which gives exact 1-based line numbers independent of partitioning. That
 * needs each file in one task's memory, so it is done only when every file is at most
 * {@link #LINE_NUMBER_MAX_FILE_BYTES}; bigger files are read line by line and their rows carry
 * the source file but no line. Blank lines are not rows (as with Spark's own JSON reader). CSV
 * (multi-line fields make line numbers ambiguous), Parquet, Delta and catalog tables carry the
 * source file only.
 */
final class TraceReader {
    private static final Logger LOG = LoggerFactory.getLogger(TraceReader.class);

    static final String SOURCE_FILE = "_tracer_source_file";
    static final String SOURCE_LINE = "_tracer_source_line";
    static final String CORRUPT = "_tracer_corrupt";
    private static final String LINE = "_tracer_line";

    /** JSONL files up to this size are read whole to number their lines. */
    static final long LINE_NUMBER_MAX_FILE_BYTES = 256L << 20;

    private TraceReader() {}

    static RawTraces read(SparkSession spark, TraceFormat format, String uri) {
        if (format == TraceFormat.JSONL || format == TraceFormat.CSV) {
            requireBytes(spark, uri);
        }
        return switch (format) {
            case JSONL -> jsonl(spark, uri);
            case CSV -> csv(spark, uri);
            case PARQUET -> structured(spark.read().parquet(uri));
            case DELTA -> delta(spark, uri);
            case TABLE -> table(spark, uri);
        };
    }

    /**
     * A Delta table by path, pinned to its latest version at read time: the fit reads exactly the
     * version it records in the runs table and the policy manifest, even if a writer commits meanwhile.
     */
    private static RawTraces delta(SparkSession spark, String uri) {
        long version;
        Dataset<Row> df;
        try {
            version = latestVersion(DeltaTable.forPath(spark, uri));
            df = spark.read().format("delta").option("versionAsOf", version).load(uri);
        } catch (Exception e) { // Delta's AnalysisException is checked to javac, thrown unchecked by Scala
            throw new BadInputException("Delta table " + uri + " cannot be read: its transaction log (_delta_log) "
                    + "is damaged, half-written or holds no commit (" + firstLine(e) + "); restore the log or "
                    + "point --traces at a readable copy", e);
        }
        LOG.info("traces {}: Delta version {}", uri, version);
        return structured(df).withDeltaVersion(version);
    }

    private static String firstLine(Throwable e) {
        // The deepest cause says what is wrong (a checksum or parse error), not Spark's job failure around it.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() <= 300 ? m : m.substring(0, 300) + "...";
    }

    /** A catalog table; when it is a Delta table, its version just before the read is recorded. */
    private static RawTraces table(SparkSession spark, String name) {
        Optional<Long> version;
        try {
            version = Optional.of(latestVersion(DeltaTable.forName(spark, name)));
        } catch (Exception notDelta) { // Scala throws AnalysisException, a checked type Java cannot name here
            version = Optional.empty();
        }
        RawTraces raw = structured(spark.table(name));
        return version.map(raw::withDeltaVersion).orElse(raw);
    }

    private static long latestVersion(DeltaTable table) {
        return table.history(1).select("version").first().getLong(0);
    }

    private static RawTraces jsonl(SparkSession spark, String uri) {
        Dataset<Row> lines;
        if (maxFileBytes(spark, uri) <= LINE_NUMBER_MAX_FILE_BYTES) {
            lines = spark.read().option("wholetext", "true").text(uri)
                    .select(input_file_name().as(SOURCE_FILE),
                            posexplode(split(col("value"), "\n")).as(new String[] {"pos", LINE}))
                    .withColumn(SOURCE_LINE, col("pos").plus(1).cast(DataTypes.LongType))
                    .drop("pos");
        } else {
            LOG.info("{}: a file exceeds {} bytes, reading line by line without line numbers",
                    uri, LINE_NUMBER_MAX_FILE_BYTES);
            lines = spark.read().text(uri)
                    .select(input_file_name().as(SOURCE_FILE), col("value").as(LINE),
                            lit(null).cast(DataTypes.LongType).as(SOURCE_LINE));
        }
        lines = lines.withColumn(LINE, regexp_replace(col(LINE), "\r$", ""))
                .filter(trim(col(LINE)).notEqual(""));
        // A JSON document holding an array of objects is not JSON Lines: refuse it whole rather
        // than read each of its lines as a malformed row.
        List<Row> arrays = lines.filter(col(SOURCE_LINE).equalTo(1).and(trim(col(LINE)).startsWith("[")))
                .select(SOURCE_FILE).limit(1).collectAsList();
        if (!arrays.isEmpty()) {
            throw new BadInputException(arrays.get(0).getString(0) + ": line 1 starts a top-level JSON array; "
                    + "traces must be JSON Lines, one JSON object per line (e.g. jq -c '.[]' to convert)");
        }

        // Infer the schema as Spark's JSON reader would, then parse each numbered line with it.
        Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
        StructType inferred = spark.read().options(options).json(lines.select(LINE).as(Encoders.STRING())).schema();
        List<StructField> fields = new ArrayList<>();
        List<String> dataColumns = new ArrayList<>();
        for (StructField f : inferred.fields()) {
            if (!f.name().equals(CORRUPT)) {
                fields.add(f);
                dataColumns.add(f.name());
            }
        }
        if (dataColumns.isEmpty()) {
            throw new BadInputException(uri + ": no JSON object found in any line");
        }
        fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
        StructType schema = DataTypes.createStructType(fields);

        Dataset<Row> parsed = lines.select(col(SOURCE_FILE), col(SOURCE_LINE), col(LINE),
                from_json(col(LINE), schema, options).as("j"));
        List<Column> out = new ArrayList<>();
        for (String c : dataColumns) {
            out.add(col("j").getField(c).as(c));
        }
        // A line that is not a JSON object parses to null rather than to a corrupt record.
        out.add(coalesce(col("j").getField(CORRUPT), when(col("j").isNull(), col(LINE))).as(CORRUPT));
        out.add(col(SOURCE_FILE));
        out.add(col(SOURCE_LINE));
        out.add(col(LINE));
        return new RawTraces(parsed.select(out.toArray(Column[]::new)), dataColumns,
                Optional.of(QuarantineReason.MALFORMED_JSON), col(LINE), Optional.empty());
    }

    private static RawTraces csv(SparkSession spark, String uri) {
        Map<String, String> options = Map.of("header", "true", "multiLine", "true", "escape", "\"",
                "mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
        StructType header = spark.read().options(options).csv(uri).schema();
        header = withoutByteOrderMark(header);
        requireCommaDelimited(uri, header);
        CsvQuotes.requireBalanced(spark, uri);
        List<String> dataColumns = Arrays.asList(header.fieldNames());
        StructType schema = header.add(CORRUPT, DataTypes.StringType, true);
        Dataset<Row> df = spark.read().options(options).schema(schema).csv(uri)
                .withColumn(SOURCE_FILE, input_file_name())
                .withColumn(SOURCE_LINE, lit(null).cast(DataTypes.LongType));
        return new RawTraces(df, dataColumns, Optional.of(QuarantineReason.MALFORMED_CSV),
                coalesce(col(CORRUPT), rowAsJson(df, dataColumns)), Optional.empty());
    }

    /**
     * A UTF-8 byte-order mark before the header is not part of the first column's name (Excel
     * writes one); the rows are read with this schema, by position, so renaming it here is enough.
     */
    private static StructType withoutByteOrderMark(StructType header) {
        if (header.fields().length == 0 || !header.fields()[0].name().startsWith("\uFEFF")) {
            return header;
        }
        StructField[] fields = header.fields().clone();
        fields[0] = new StructField(fields[0].name().substring(1), fields[0].dataType(), fields[0].nullable(),
                fields[0].metadata());
        LOG.info("CSV header starts with a UTF-8 byte-order mark: ignored");
        return new StructType(fields);
    }

    /** One header column that holds another delimiter: the file is not comma-separated. */
    private static void requireCommaDelimited(String uri, StructType header) {
        if (header.fields().length != 1) {
            return;
        }
        String name = header.fields()[0].name();
        for (String d : List.of(";", "\t", "|")) {
            if (name.contains(d)) {
                throw new BadInputException(uri + ": the CSV header is one column '" + name.replace("\t", "\\t")
                        + "' that holds '" + (d.equals("\t") ? "\\t" : d) + "': the file uses another delimiter; "
                        + "tracer reads comma-separated CSV (RFC 4180): convert it, or save it as JSONL");
            }
        }
    }

    /** Every trace file under {@code uri} is empty: there is nothing to read, say so in one line. */
    private static void requireBytes(SparkSession spark, String uri) {
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] roots = fs.globStatus(path);
            if (roots == null || roots.length == 0) {
                throw new BadInputException("trace file " + uri + " not found");
            }
            long bytes = 0;
            for (FileStatus root : roots) {
                if (root.isFile()) {
                    bytes += root.getLen();
                    continue;
                }
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(root.getPath(), true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    String n = f.getPath().getName();
                    if (!n.startsWith("_") && !n.startsWith(".")) {
                        bytes += f.getLen();
                    }
                }
            }
            if (bytes == 0) {
                throw new BadInputException(uri + " is empty (0 bytes): no header, no rows");
            }
        } catch (IOException e) {
            throw new TracerException("cannot list " + uri + ": " + e.getMessage(), e);
        }
    }

    private static RawTraces structured(Dataset<Row> df) {
        List<String> dataColumns = Arrays.asList(df.columns());
        Dataset<Row> out = df.withColumn(SOURCE_FILE, nullif(input_file_name(), lit("")))
                .withColumn(SOURCE_LINE, lit(null).cast(DataTypes.LongType));
        return new RawTraces(out, dataColumns, Optional.empty(), rowAsJson(df, dataColumns), Optional.empty());
    }

    /** The user's columns as one JSON object; ML vectors become arrays since to_json cannot write them. */
    private static Column rowAsJson(Dataset<Row> df, List<String> columns) {
        List<Column> parts = new ArrayList<>();
        for (String c : columns) {
            StructField f = df.schema().apply(c);
            Column column = col(quote(c));
            if (f.dataType() instanceof VectorUDT) {
                column = org.apache.spark.ml.functions.vector_to_array(column, "float64");
            }
            parts.add(column.as(c));
        }
        return to_json(struct(parts.toArray(Column[]::new)));
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** The largest file the URI (file, folder or glob) covers; Long.MAX_VALUE when it cannot be listed. */
    private static long maxFileBytes(SparkSession spark, String uri) {
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] roots = fs.globStatus(path);
            if (roots == null || roots.length == 0) {
                throw new BadInputException("trace file " + uri + " does not exist");
            }
            long max = 0;
            for (FileStatus root : roots) {
                if (root.isFile()) {
                    max = Math.max(max, root.getLen());
                    continue;
                }
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(root.getPath(), true);
                while (it.hasNext()) {
                    max = Math.max(max, it.next().getLen());
                }
            }
            return max;
        } catch (IOException e) {
            throw new TracerException("cannot list " + uri + ": " + e.getMessage(), e);
        }
    }
}
