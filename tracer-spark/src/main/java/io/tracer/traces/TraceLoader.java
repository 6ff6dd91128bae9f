package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.TracerException;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EncoderInfo;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.size;

/**
 * Reads a trace table in any supported format, maps its columns to the canonical ones,
 * validates every row and quarantines the bad ones, so that valid + quarantined == read.
 *
 * <p>The bad share compared with {@code tracer.traces.max-bad-share} counts the invalid rows;
 * duplicates dropped by the keep-latest rule are quarantined (and reported) but do not count as
 * bad input, since re-logged traces are an expected property of trace stores, not an error.
 */
public final class TraceLoader {
    private static final Logger LOG = LoggerFactory.getLogger(TraceLoader.class);
    private static final int EXAMPLE_CHARS = 300;

    private final SparkSession spark;
    private final TracerConfig.Traces config;

    public TraceLoader(SparkSession spark, TracerConfig.Traces config) {
        this.spark = spark;
        this.config = config;
    }

    /**
     * @param quarantineUri Delta table (Hadoop URI) that receives refused rows; appended to
     * @param runId         recorded on each quarantine row
     * @throws BadInputException when the invalid share exceeds max-bad-share, when duplicates
     *                           are found under the fail rule, or when the columns cannot be resolved
     */
    public LoadedTraces load(TraceSource source, String quarantineUri, String runId) {
        return load(source, quarantineUri, runId, LoadOptions.TRAINING);
    }

    /**
     * As {@link #load(TraceSource, String, String)}, judging rows as {@code options} says (routing
     * inputs need no teacher, see {@link LoadOptions#ROUTING}).
     */
    public LoadedTraces load(TraceSource source, String quarantineUri, String runId, LoadOptions options) {
        String desc = "tracer: load traces " + source.uri();
        spark.sparkContext().setJobDescription(desc);
        try {
            return doLoad(source, quarantineUri, runId, options);
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    /**
     * Reads, maps and judges {@code source} as a load would with {@code options}, and stops
     * there: nothing is quarantined, no limit enforced, nothing cached (tracer scan).
     */
    public CheckedTraces check(TraceSource source, LoadOptions options) {
        TraceFormat format = FormatResolver.resolve(spark, source.uri(), source.format().orElse(config.format()));
        RawTraces raw = TraceReader.read(spark, format, source.uri());
        ResolvedColumns columns = ColumnResolver.resolve(raw.dataColumns(), config, source, options.requireTeacher());
        LOG.info("trace columns of {}: {}", source.uri(), columns.describe());

        Optional<EncoderInfo> encoder = columns.embedding()
                .flatMap(c -> EncoderInfo.of(raw.data().schema().apply(c)));
        Dataset<Row> normalised = TraceNormaliser.normalise(raw, columns);
        OptionalInt dim = options.judgeWidth() ? expectedDim(normalised, encoder) : OptionalInt.empty();

        boolean dedupe = options.dedupe() && idsMayRepeat(format, normalised, source.uri());
        Dataset<Row> checked = TraceValidator.check(normalised, raw.corruptReason(), dim,
                options.requireTeacher(), dedupe);
        return new CheckedTraces(format, checked, columns, encoder, raw.deltaVersion());
    }

    /**
     * Whether two rows of the table may share a trace id, so the duplicate window must run. The
     * window shuffles whole rows, vectors included, by trace id (at 1,000,000 traces, 384-d, it
     * took 10-13 s warm against 4-6 s for this question and the rows without it). A Parquet or
     * Delta path answers from its id, input and teacher columns (a blank id is derived from the
     * other two), not its vectors, so the question is asked there, and when no id occurs twice no
     * row can be a duplicate: the window would mark none, and is left out. Both reads see the same
     * data: a Delta path is read at one pinned version, a Parquet path through one file listing.
     * A catalog table is not pinned (each query may see a newer version, whose new rows could
     * repeat an id), and a text source (JSONL, CSV) would parse every line to answer, as costly as
     * the window itself: both always get the window.
     */
    private static boolean idsMayRepeat(TraceFormat format, Dataset<Row> normalised, String uri) {
        if (format != TraceFormat.PARQUET && format != TraceFormat.DELTA) {
            return true;
        }
        boolean repeats = !normalised.groupBy(col(Columns.TRACE_ID)).count()
                .where(col("count").gt(1)).limit(1).isEmpty();
        LOG.debug("traces {}: {}", uri, repeats ? "some trace id occurs twice; duplicates are resolved"
                : "every trace id occurs once; no duplicate to resolve");
        return repeats;
    }

    private LoadedTraces doLoad(TraceSource source, String quarantineUri, String runId, LoadOptions options) {
        CheckedTraces judged = check(source, options);
        ResolvedColumns columns = judged.columns();
        Optional<EncoderInfo> encoder = judged.encoder();
        Dataset<Row> checked = judged.checked();
        if (options.persist()) {
            checked = checked.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            Map<String, Long> byReason = countByReason(checked);
            long valid = byReason.getOrDefault(VALID, 0L);
            byReason.remove(VALID);
            long read = valid + byReason.values().stream().mapToLong(Long::longValue).sum();
            logCounts(source.uri(), read, valid, byReason);

            if (!byReason.isEmpty()) {
                Quarantine.append(checked, quarantineUri, runId, source.uri());
                LOG.info("quarantined rows of {} written to {}", source.uri(), quarantineUri);
            }
            enforceLimits(checked, source.uri(), read, byReason, quarantineUri, columns);

            Dataset<Row> validRows = select(checked.filter(col(Columns.REASON).isNull()), encoder);
            if (!options.persist()) {
                // Not cached: the reason counts above are this table's valid count, and a second
                // pass over the source would only repeat them.
                return new LoadedTraces(validRows, read, valid, byReason, encoder, columns, judged.deltaVersion());
            }
            validRows = validRows.persist(StorageLevel.MEMORY_AND_DISK());
            long validCount = validRows.count();
            if (validCount != valid) {
                validRows.unpersist();
                throw new TracerException("trace accounting mismatch for " + source.uri() + ": counted "
                        + valid + " valid rows, then " + validCount);
            }
            return new LoadedTraces(validRows, read, validCount, byReason, encoder, columns, judged.deltaVersion());
        } finally {
            checked.unpersist();
        }
    }

    private static final String VALID = "";

    /** Row counts per reason, VALID ("") for rows without one; TreeMap so logs and messages are ordered. */
    private static Map<String, Long> countByReason(Dataset<Row> checked) {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : checked.groupBy(col(Columns.REASON)).agg(count("*")).collectAsList()) {
            out.put(r.isNullAt(0) ? VALID : r.getString(0), r.getLong(1));
        }
        return out;
    }

    /** The encoder's dimension, or else the most common width in the table (the smaller on a tie). */
    private static OptionalInt expectedDim(Dataset<Row> normalised, Optional<EncoderInfo> encoder) {
        if (!Arrays.asList(normalised.columns()).contains(Columns.EMBEDDING)) {
            return OptionalInt.empty();
        }
        if (encoder.isPresent()) {
            return OptionalInt.of(encoder.get().dim());
        }
        List<Row> top = normalised.filter(col(Columns.EMBEDDING).isNotNull())
                .groupBy(size(col(Columns.EMBEDDING)).as("w")).agg(count("*").as("n"))
                .orderBy(col("n").desc(), col("w").asc()).limit(1).collectAsList();
        if (top.isEmpty()) {
            return OptionalInt.empty();
        }
        int w = top.get(0).getInt(0);
        LOG.info("embedding column has no encoder metadata; expecting the majority width {}", w);
        return OptionalInt.of(w);
    }

    private void enforceLimits(Dataset<Row> checked, String uri, long read, Map<String, Long> byReason,
                               String quarantineUri, ResolvedColumns columns) {
        long duplicates = byReason.getOrDefault(QuarantineReason.DUPLICATE_TRACE_ID, 0L);
        if (duplicates > 0 && "fail".equals(config.duplicates())) {
            throw new BadInputException(uri + ": " + duplicates + " rows repeat an earlier trace id and "
                    + ConfigKeys.TRACES_DUPLICATES + " = fail; for example " + example(checked, true, columns)
                    + " (all in " + quarantineUri + ")");
        }
        long bad = byReason.values().stream().mapToLong(Long::longValue).sum() - duplicates;
        double share = read == 0 ? 0.0 : (double) bad / read;
        if (share > config.maxBadShare()) {
            Map<String, Long> invalid = new TreeMap<>(byReason);
            invalid.remove(QuarantineReason.DUPLICATE_TRACE_ID);
            throw new BadInputException(String.format(
                    "%s: %d of %d rows (%.2f%%) are invalid, more than " + ConfigKeys.TRACES_MAX_BAD_SHARE + " = %.2f%%; "
                            + "by reason %s; for example %s; all of them are in the quarantine table %s",
                    uri, bad, read, 100 * share, 100 * config.maxBadShare(), invalid, example(checked, false, columns),
                    quarantineUri));
        }
        if (read == 0) {
            throw new BadInputException(uri + ": the trace table has no rows");
        }
    }

    /** The source column a reason is about, as the table names it. */
    static String columnOf(String reason, ResolvedColumns c) {
        return switch (reason) {
            case QuarantineReason.MISSING_INPUT -> c.input();
            case QuarantineReason.MISSING_TEACHER -> String.valueOf(c.teacher());
            case QuarantineReason.INVALID_ENCODING -> c.teacher() == null ? c.input() : c.input() + " or " + c.teacher();
            case QuarantineReason.INVALID_TIMESTAMP -> c.timestamp().orElse("?");
            case QuarantineReason.MISSING_EMBEDDING, QuarantineReason.NONFINITE_EMBEDDING,
                    QuarantineReason.EMBEDDING_WIDTH -> c.embedding().orElse("?");
            case QuarantineReason.DUPLICATE_TRACE_ID -> c.traceId().orElse("(derived trace id)");
            default -> "(the whole row)";
        };
    }

    private static String example(Dataset<Row> checked, boolean duplicate, ResolvedColumns columns) {
        Column which = duplicate ? col(Columns.REASON).equalTo(QuarantineReason.DUPLICATE_TRACE_ID)
                : col(Columns.REASON).isNotNull().and(col(Columns.REASON).notEqual(QuarantineReason.DUPLICATE_TRACE_ID));
        List<Row> rows = checked.filter(which)
                .select(col(Columns.REASON), col(Columns.SOURCE_FILE), col(Columns.SOURCE_LINE),
                        col(Columns.TRACE_ID), col(TraceValidator.RAW))
                .orderBy(col(Columns.SOURCE_FILE).asc_nulls_last(), col(Columns.SOURCE_LINE).asc_nulls_last(),
                        col(Columns.TRACE_ID))
                .limit(1).collectAsList();
        if (rows.isEmpty()) {
            return "(none)";
        }
        Row r = rows.get(0);
        String rawText = r.isNullAt(4) ? "" : r.getString(4);
        if (rawText.length() > EXAMPLE_CHARS) {
            rawText = rawText.substring(0, EXAMPLE_CHARS) + "...";
        }
        return "[reason " + r.getString(0) + ", column " + columnOf(r.getString(0), columns) + ", file " + r.getString(1)
                + (r.isNullAt(2) ? "" : ", line " + r.getLong(2)) + ", trace_id " + r.getString(3)
                + ", content " + rawText + "]";
    }

    private static void logCounts(String uri, long read, long valid, Map<String, Long> byReason) {
        LOG.info("traces {}: read {}, valid {}, quarantined {}", uri, read, valid, read - valid);
        byReason.forEach((reason, n) -> LOG.info("traces {}: quarantined {} rows with reason {}", uri, n, reason));
    }

    /** The canonical columns in contract order, the embedding tagged with its encoder when known. */
    private static Dataset<Row> select(Dataset<Row> rows, Optional<EncoderInfo> encoder) {
        List<String> have = Arrays.asList(rows.columns());
        List<Column> out = new ArrayList<>();
        for (String c : List.of(Columns.TRACE_ID, Columns.INPUT, Columns.TEACHER, Columns.TIMESTAMP,
                Columns.GROUND_TRUTH, Columns.EMBEDDING, Columns.SOURCE_FILE, Columns.SOURCE_LINE)) {
            if (!have.contains(c)) {
                continue;
            }
            if (c.equals(Columns.EMBEDDING) && encoder.isPresent()) {
                out.add(encoder.get().tag(col(c), c));
            } else {
                out.add(col(c));
            }
        }
        return rows.select(out.toArray(Column[]::new));
    }
}
