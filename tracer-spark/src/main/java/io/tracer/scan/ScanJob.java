package io.tracer.scan;

import io.tracer.CodeVersion;
import io.tracer.Columns;
import io.tracer.HashSample;
import io.tracer.Seeds;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.embed.EncoderInfo;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricRows.Estimate;
import io.tracer.lakehouse.MetricRows.ScanRow;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.TableRows;
import io.tracer.ood.OodCalibrator;
import io.tracer.ood.OodGate;
import io.tracer.report.ReportWriter;
import io.tracer.traces.CheckedTraces;
import io.tracer.traces.LoadOptions;
import io.tracer.traces.QuarantineReason;
import io.tracer.traces.TraceLoader;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogateSpec;
import io.tracer.zoo.SurrogateZoo;
import io.tracer.zoo.ZooTrainer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * {@code tracer scan}: whether a trace table is worth a fit, in about the time it takes to read it.
 *
 * <ol>
 *   <li>Judge every row as a fit would ({@link TraceLoader#check}: nothing written, nothing refused),
 *       and read the table once into a narrow cached projection: reason, label, trace id, input
 *       length, embedding width, a hash key, and the vectors of a hash sample only (sized from the
 *       row count, which Delta and Parquet give from metadata).</li>
 *   <li>From that cache alone: invalid rows by reason (an embedding whose width is not the
 *       encoder's, or the most common one, counts as a fit counts it), duplicate trace ids, label
 *       counts and the long tail, input length quantiles, texts a fit would embed.</li>
 *   <li>Fit {@code tracer.scan.surrogate} on the sample (at most {@code tracer.scan.sample-rows},
 *       the rows with the smallest keys), measure the out-of-distribution gate on its train part
 *       as a fit does (when {@code tracer.ood.enabled}), judge both on the held-out share, and
 *       estimate per target what a fit could certify ({@link ScanEstimate}). A table without vectors gets
 *       {@code tracer.scan.embed-sample-rows} texts embedded for this, which also measures the
 *       encoder's speed.</li>
 *   <li>Write the scans row and the report page; return what to print.</li>
 * </ol>
 */
public final class ScanJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScanJob.class);
    /** The sample is drawn from the rows whose key falls under a share sized with this margin. */
    private static final double OVERSAMPLE = 1.5;
    /** The share of valid rows the head labels hold (head_labels). */
    private static final double HEAD_SHARE = 0.8;

    private static final String KEY = "_scan_key";
    private static final String LEN = "_scan_len";
    private static final String WIDTH = "_scan_width";
    private static final String SAMPLE = "_scan_sample";
    private static final String TEXT_HASH = "_scan_text_hash";

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public ScanJob(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    public ScanResult run(ScanRequest request) {
        long start = System.nanoTime();
        String uri = request.traces().uri();
        TracerConfig.Scan scan = config.scan();
        // A look: duplicates are counted on the narrow cache, widths judged there (no extra pass).
        // Writing the quarantine asks for exactly what a fit would write, so it judges as a fit does.
        LoadOptions options = request.writeQuarantine() ? new LoadOptions(true, true, true, false)
                : new LoadOptions(true, false, false, false);
        CheckedTraces judged = new TraceLoader(spark, config.traces()).check(request.traces(), options);
        Optional<String> embeddingColumn = judged.columns().embedding();
        boolean hasVectors = embeddingColumn.isPresent();
        long seed = Seeds.derive(config.seed(), "scan");

        describe("scan: count rows of " + uri);
        long rows = rowCount(judged, uri);
        double vectorShare = Math.min(1.0, OVERSAMPLE * scan.sampleRows() / Math.max(1.0, rows));
        double textShare = Math.min(1.0, OVERSAMPLE * scan.embedSampleRows() / Math.max(1.0, rows));

        Column key = HashSample.uniform(seed, Columns.TRACE_ID);
        Column valid = col(Columns.REASON).isNull();
        List<Column> narrowColumns = new ArrayList<>(List.of(col(Columns.REASON), col(Columns.TEACHER),
                col(Columns.TRACE_ID), length(col(Columns.INPUT)).as(LEN), key.as(KEY)));
        if (hasVectors) {
            Column vector = col(Columns.EMBEDDING);
            narrowColumns.add(when(vector.isNotNull(), size(vector)).as(WIDTH));
            narrowColumns.add(when(valid.and(key.lt(vectorShare)), vector).as(SAMPLE));
        } else {
            narrowColumns.add(lit(null).cast(DataTypes.IntegerType).as(WIDTH));
            narrowColumns.add(xxhash64(col(Columns.INPUT)).as(TEXT_HASH));
            narrowColumns.add(when(valid.and(key.lt(textShare)), col(Columns.INPUT)).as(SAMPLE));
        }
        Dataset<Row> narrow = judged.checked().select(narrowColumns.toArray(Column[]::new))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> kept = null;
        try {
            describe("scan: read " + uri + " once (validation, labels, lengths, sample)");
            long read = narrow.count();
            long passSeconds = Math.round((System.nanoTime() - start) / 1e9);
            LOG.info("scan: read {} rows of {} ({} s so far)", read, uri, passSeconds);

            // Reasons, and the width judgement a fit makes when the column carries no encoder.
            Map<String, Long> byReason = new TreeMap<>();
            Map<Integer, Long> widths = new TreeMap<>();
            for (Row r : narrow.groupBy(col(Columns.REASON), col(WIDTH)).agg(count(lit(1))).collectAsList()) {
                String reason = r.isNullAt(0) ? null : r.getString(0);
                if (reason != null) {
                    byReason.merge(reason, r.getLong(2), Long::sum);
                }
                if (!r.isNullAt(1) && (reason == null || reason.equals(QuarantineReason.NONFINITE_EMBEDDING))) {
                    widths.merge(r.getInt(1), r.getLong(2), Long::sum);
                }
            }
            Integer dim = null;
            if (hasVectors) {
                dim = judged.encoder().map(EncoderInfo::dim).orElseGet(() -> widths.entrySet().stream()
                        .max(Comparator.comparingLong(Map.Entry<Integer, Long>::getValue)
                                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                        .map(Map.Entry::getKey).orElse(null));
                if (dim != null && !request.writeQuarantine()) {
                    valid = valid.and(col(WIDTH).equalTo(dim));
                    long offWidth = 0;
                    for (Row r : narrow.where(col(WIDTH).notEqual(dim).and(col(Columns.REASON).isNull()
                                    .or(col(Columns.REASON).equalTo(QuarantineReason.NONFINITE_EMBEDDING))))
                            .groupBy(col(Columns.REASON)).agg(count(lit(1))).collectAsList()) {
                        offWidth += r.getLong(1);
                        if (!r.isNullAt(0)) {
                            byReason.merge(r.getString(0), -r.getLong(1), Long::sum);
                        }
                    }
                    if (offWidth > 0) {
                        byReason.merge(QuarantineReason.EMBEDDING_WIDTH, offWidth, Long::sum);
                    }
                    byReason.values().removeIf(n -> n == 0);
                }
            }

            // What a fit learns from: valid rows, one per trace id.
            describe("scan: labels, lengths and duplicates of the valid rows");
            kept = narrow.where(valid).dropDuplicates(Columns.TRACE_ID).persist(StorageLevel.MEMORY_AND_DISK());
            long rowsValid = kept.count();
            long invalid = byReason.entrySet().stream()
                    .filter(e -> !e.getKey().equals(QuarantineReason.DUPLICATE_TRACE_ID))
                    .mapToLong(Map.Entry::getValue).sum();
            long duplicates = read - invalid - rowsValid;
            if (duplicates > 0) {
                byReason.merge(QuarantineReason.DUPLICATE_TRACE_ID, duplicates, (a, b) -> Math.max(a, b));
            }

            Map<String, Long> labelCounts = new LinkedHashMap<>();
            kept.groupBy(col(Columns.TEACHER)).agg(count(lit(1)).as("n")).collectAsList().stream()
                    .sorted(Comparator.comparingLong((Row r) -> -r.getLong(1)).thenComparing(r -> r.getString(0)))
                    .forEach(r -> labelCounts.put(r.getString(0), r.getLong(1)));
            Labels labels = Labels.of(labelCounts, rowsValid, scan.tailRows());

            List<Column> lengthStats = new ArrayList<>(List.of(min(col(LEN)), max(col(LEN)), avg(col(LEN)),
                    percentile_approx(col(LEN), array(lit(0.5), lit(0.9), lit(0.99)), lit(10000))));
            lengthStats.add(hasVectors ? lit(0L) : countDistinct(col(TEXT_HASH)));
            Row lengths = kept.agg(lengthStats.get(0), lengthStats.subList(1, lengthStats.size()).toArray(Column[]::new))
                    .head();
            Integer lenMin = lengths.isNullAt(0) ? null : lengths.getInt(0);
            Integer lenMax = lengths.isNullAt(1) ? null : lengths.getInt(1);
            Double lenMean = lengths.isNullAt(2) ? null : lengths.getDouble(2);
            List<Integer> quantiles = lengths.isNullAt(3) ? List.of() : lengths.getList(3);
            long textsToEmbed = hasVectors ? 0 : lengths.getLong(4);

            LOG.info("scan: {} valid rows ({} invalid, {} duplicates), {} labels ({} s so far)", rowsValid, invalid,
                    duplicates, labelCounts.size(), Math.round((System.nanoTime() - start) / 1e9));

            // The quick surrogate on the sample, and the estimate.
            Sample sample = sample(kept, hasVectors, scan, dim);
            Fitted fitted = fit(sample.rows(), scan, seed);
            long calibrationRows = Math.round(config.split().calibration() * rowsValid);
            List<Estimate> estimates = ScanEstimate.of(fitted.scores(), fitted.agree(),
                    config.calibrate().frontierTargets(), config.calibrate().delta(), config.calibrate().gridSize(),
                    calibrationRows, config.report().dailyVolume());

            boolean quarantineWritten = false;
            if (request.writeQuarantine() && !byReason.isEmpty()) {
                describe("scan: write the quarantine");
                judged.writeQuarantine(new DeltaWriter(spark, layout).prepare(MetricTable.QUARANTINE),
                        request.runId(), uri);
                quarantineWritten = true;
            }

            double invalidShare = read == 0 ? 0 : (double) invalid / read;
            boolean tooMany = invalidShare > config.traces().maxBadShare();
            Double speed = sample.textsPerSecond() > 0 ? sample.textsPerSecond() : null;
            // Without vectors the sample is embedded with the configured encoder (tracer.embed.encoder).
            BuiltInEncoder embedding = BuiltInEncoder.configured(config.embed().encoder());
            String encoderId = hasVectors ? judged.encoder().map(EncoderInfo::id).orElse(null) : embedding.id();
            double seconds = (System.nanoTime() - start) / 1e9;
            ScanRow row = new ScanRow(request.runId(), new Timestamp(System.currentTimeMillis()), uri,
                    judged.deltaVersion().orElse(null), read, invalid, duplicates, rowsValid, invalidShare, tooMany,
                    byReason, quarantineWritten, read == 0 ? 0 : (double) duplicates / read, labelCounts.size(),
                    labelCounts, scan.tailRows(), labels.tailLabels(), labels.tailShare(), labels.headLabels(),
                    lenMin, quantile(quantiles, 0), quantile(quantiles, 1), quantile(quantiles, 2), lenMax, lenMean,
                    embeddingColumn.orElse(null), hasVectors ? dim : Integer.valueOf(embedding.dim()), encoderId,
                    textsToEmbed, speed, speed == null ? null : textsToEmbed / speed,
                    fitted.surrogate(), fitted.trainRows(), (long) fitted.scores().length, fitted.agreement(),
                    calibrationRows, config.calibrate().delta(), estimates, config.report().dailyVolume(),
                    seconds, CodeVersion.get(), null);
            row = withMessage(row, verdict(row, fitted));

            describe("scan: write the scans row and the report page");
            new DeltaWriter(spark, layout).write(MetricTable.SCANS, request.runId(),
                    TableRows.toDataFrame(spark, MetricTable.SCANS, List.of(row)));
            String page = new ReportWriter(spark, config, layout).renderScan(row);
            LOG.info("scan of {} done in {} s", uri, String.format(Locale.ROOT, "%.1f", row.seconds()));
            return new ScanResult(row, page, ScanSummary.text(row, config, fitted.note()));
        } finally {
            narrow.unpersist();
            if (kept != null) {
                kept.unpersist();
            }
            spark.sparkContext().setJobDescription(null);
        }
    }

    /** Label counts summarised: the long tail and the head. */
    record Labels(int tailLabels, double tailShare, int headLabels) {
        static Labels of(Map<String, Long> countsLargestFirst, long validRows, int tailRows) {
            int tail = 0;
            long tailCount = 0;
            int head = 0;
            long cumulative = 0;
            for (long n : countsLargestFirst.values()) {
                if (n < tailRows) {
                    tail++;
                    tailCount += n;
                }
                if (cumulative < HEAD_SHARE * validRows) {
                    head++;
                    cumulative += n;
                }
            }
            return new Labels(tail, validRows == 0 ? 0 : (double) tailCount / validRows, head);
        }
    }

    /** The rows the surrogate sees (trace_id, teacher, embedding), and the encoder's speed when it ran. */
    private record Sample(Dataset<Row> rows, double textsPerSecond) {}

    /**
     * At most sample-rows valid rows with the smallest keys (a hash sample, the same for the same
     * table and seed), collected and made a small local table so the fit does not read the source
     * again. Without vectors: at most embed-sample-rows texts, embedded now (no cache, so the
     * encoder's speed is measured on every scan).
     */
    private Sample sample(Dataset<Row> kept, boolean hasVectors, TracerConfig.Scan scan, Integer dim) {
        describe("scan: draw the sample");
        int limit = hasVectors ? scan.sampleRows() : scan.embedSampleRows();
        if (limit == 0) {
            return new Sample(spark.emptyDataFrame(), 0);
        }
        Dataset<Row> drawn = kept.where(col(SAMPLE).isNotNull()).orderBy(col(KEY)).limit(limit);
        if (hasVectors) {
            // Materialised once, spread over the cores, with no lineage back to the table: the
            // fit's iterations read these blocks (a local table would ship its rows in every task).
            Dataset<Row> rows = drawn.select(col(Columns.TRACE_ID), col(Columns.TEACHER),
                            col(SAMPLE).as(Columns.EMBEDDING))
                    .repartition(Math.max(1, spark.sparkContext().defaultParallelism()))
                    .localCheckpoint();
            return new Sample(rows, 0);
        }
        List<Row> rows = drawn.select(col(Columns.TRACE_ID), col(Columns.TEACHER), col(SAMPLE)).collectAsList();
        StructType schema = new StructType().add(Columns.TRACE_ID, DataTypes.StringType)
                .add(Columns.TEACHER, DataTypes.StringType).add(Columns.INPUT, DataTypes.StringType);
        describe("scan: embed " + rows.size() + " sampled texts (measures the encoder)");
        EmbedResult embedded = new Embedder(spark, config.embed(), Optional.empty())
                .embed(spark.createDataFrame(rows, schema));
        List<Row> vectors = embedded.embedded().select(Columns.TRACE_ID, Columns.TEACHER, Columns.EMBEDDING)
                .collectAsList();
        double speed = embedded.textsPerSecond();
        embedded.unpersist();
        StructType out = new StructType().add(Columns.TRACE_ID, DataTypes.StringType)
                .add(Columns.TEACHER, DataTypes.StringType)
                .add(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, true));
        return new Sample(spark.createDataFrame(vectors, out)
                .repartition(Math.max(1, spark.sparkContext().defaultParallelism())).localCheckpoint(), speed);
    }

    /**
     * The surrogate's held-out judgement: top-1 probability and agreement per held-out row.
     * {@code surrogate} is null when the sample cannot support a fit (then no estimate).
     */
    record Fitted(String surrogate, Long trainRows, double[] scores, boolean[] agree, Double agreement,
                  String note) {
        static Fitted none(String note) {
            return new Fitted(null, null, new double[0], new boolean[0], null, note);
        }
    }

    private Fitted fit(Dataset<Row> sample, TracerConfig.Scan scan, long seed) {
        if (sample.columns().length == 0) {
            return Fitted.none("no sample (" + ConfigKeys.SCAN_EMBED_SAMPLE_ROWS + " = 0)");
        }
        Column heldOut = HashSample.uniform(Seeds.derive(seed, "heldout"), Columns.TRACE_ID).lt(scan.heldoutShare());
        Dataset<Row> train = sample.where(heldOut.unary_$bang());
        Dataset<Row> test = sample.where(heldOut);
        long trainRows = train.count();
        long testRows = test.count();
        LabelIndex labels = LabelIndex.fromTeacher(train);
        if (labels.size() < 2 || trainRows < 20 || testRows < 20) {
            return Fitted.none("the sample (" + trainRows + " rows to fit, " + testRows + " to judge, "
                    + labels.size() + " labels) is too small for a surrogate");
        }
        int dim = sample.select(size(col(Columns.EMBEDDING))).head().getInt(0);
        SurrogateSpec spec = SurrogateZoo.byName(scan.surrogate(), dim, labels.size());
        describe("scan: fit " + spec.name() + " on " + trainRows + " sampled rows");
        long t = System.nanoTime();
        SurrogateModel model = new ZooTrainer(spark, config.zoo(), labels, Seeds.derive(seed, "zoo")).fit(spec,
                labels.withLabelIndex(train));
        LOG.info("scan: {} fitted on {} rows in {} s", spec.name(), trainRows,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t) / 1e9));
        describe("scan: judge " + spec.name() + " on " + testRows + " held-out rows");
        Dataset<Row> predicted = model.predictWithAgree(labels.withLabelIndex(test));
        if (config.ood().enabled()) {
            // As a fit does: rows far from their predicted label's train centroid are never handled.
            OodGate ood = OodCalibrator.fit(model.predict(labels.withLabelIndex(train)), labels.size(), config.ood());
            predicted = ood.flag(predicted, Columns.FEATURES, Columns.PREDICTION);
        }
        Column top1 = array_max(vector_to_array(col(Columns.PROBABILITY), "float64"));
        List<Row> judged = predicted.select(OodGate.neverAcceptedWhenOod(predicted, top1), col(Columns.AGREE))
                .collectAsList();
        double[] scores = new double[judged.size()];
        boolean[] agree = new boolean[judged.size()];
        long agreeing = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = judged.get(i).isNullAt(0) ? Double.NaN : judged.get(i).getDouble(0);
            agree[i] = judged.get(i).getDouble(1) == 1.0;
            agreeing += agree[i] ? 1 : 0;
        }
        return new Fitted(spec.name(), trainRows, scores, agree, scores.length == 0 ? null
                : (double) agreeing / scores.length, null);
    }

    /** The verdict line: what stops a fit, or the estimate at the deploy target. */
    static String verdict(ScanRow row, Fitted fitted) {
        if (row.rowsRead() == 0) {
            return "the table has no rows";
        }
        if (row.tooManyInvalid()) {
            return String.format(Locale.ROOT, "a fit would stop: %.2f%% of rows are invalid (%s)",
                    100 * row.invalidShare(), row.quarantineByReason());
        }
        if (row.labels() < 2) {
            return "a fit needs at least two teacher labels; this table has " + row.labels();
        }
        if (fitted.surrogate() == null) {
            return "no estimate: " + fitted.note();
        }
        Estimate best = null;
        for (Estimate e : row.estimates()) {
            if (best == null || Math.abs(e.target() - 0.95) < Math.abs(best.target() - 0.95)) {
                best = e;
            }
        }
        return String.format(Locale.ROOT, "ESTIMATE: a fit could certify about %.1f%% coverage at target %.2f "
                        + "(%,.0f teacher calls saved per day); only a fit certifies",
                100 * best.coverage(), best.target(), best.callsSavedPerDay());
    }

    private static ScanRow withMessage(ScanRow r, String message) {
        return new ScanRow(r.runId(), r.scannedAt(), r.tracesUri(), r.tracesVersion(), r.rowsRead(), r.rowsInvalid(),
                r.rowsDuplicates(), r.rowsValid(), r.invalidShare(), r.tooManyInvalid(), r.quarantineByReason(),
                r.quarantineWritten(), r.duplicateShare(), r.labels(), r.labelCounts(), r.tailRows(), r.tailLabels(),
                r.tailShare(), r.headLabels(), r.inputCharsMin(), r.inputCharsP50(), r.inputCharsP90(),
                r.inputCharsP99(), r.inputCharsMax(), r.inputCharsMean(), r.embeddingColumn(), r.embeddingDim(),
                r.encoder(), r.textsToEmbed(), r.encoderTextsPerSecond(), r.embedSecondsEstimate(), r.surrogate(),
                r.sampleRows(), r.heldoutRows(), r.surrogateAgreement(), r.calibrationRows(), r.delta(),
                r.estimates(), r.dailyVolume(), r.seconds(), r.codeVersion(), message);
    }

    /**
     * The table's row count, to size the sample share: from file metadata for Delta, Parquet and
     * catalog tables (no column is decoded), else by counting the judged rows (a pass over text).
     */
    private long rowCount(CheckedTraces judged, String uri) {
        return switch (judged.format()) {
            case DELTA -> spark.read().format("delta").load(uri).count();
            case PARQUET -> spark.read().parquet(uri).count();
            case TABLE -> spark.table(uri).count();
            default -> judged.checked().count();
        };
    }

    private static Integer quantile(List<Integer> quantiles, int i) {
        return i < quantiles.size() ? quantiles.get(i) : null;
    }

    private void describe(String what) {
        spark.sparkContext().setJobDescription("tracer: " + what);
    }
}
