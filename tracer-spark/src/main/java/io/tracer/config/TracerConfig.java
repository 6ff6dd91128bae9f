package io.tracer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import io.tracer.BadInputException;

import java.util.List;
import java.util.Map;

import static io.tracer.config.ConfigKeys.*;

/**
 * The whole job configuration as immutable records, validated at construction: one record per
 * block of conf/default.conf, one field per key. Keys are spelled in {@link ConfigKeys}, defaults
 * live only in conf/default.conf, {@link ConfigLoader} applies the precedence, and
 * {@link #from(Config)} is the one place that reads them. A validation error names its key.
 *
 * @param source the resolved HOCON the records were read from; opaque outside this package:
 *               {@link #render()} prints it, {@link #with(Map)} derives a configuration from it
 */
public record TracerConfig(
        long seed,
        Traces traces,
        Embed embed,
        Split split,
        Zoo zoo,
        Gate gate,
        Ood ood,
        Calibrate calibrate,
        Pipeline pipeline,
        Lakehouse lakehouse,
        Report report,
        Scan scan,
        SparkSettings spark,
        Source source) {

    public record Traces(String format, String inputCol, String teacherCol,
                         List<String> inputAliases, List<String> teacherAliases, List<String> idAliases,
                         List<String> timestampAliases, List<String> groundTruthAliases,
                         List<String> embeddingAliases, double maxBadShare, String duplicates) {
        public Traces {
            require(maxBadShare >= 0 && maxBadShare <= 1, TRACES_MAX_BAD_SHARE, "must be in [0, 1]");
            require(List.of("keep-latest", "fail").contains(duplicates), TRACES_DUPLICATES,
                    "must be keep-latest or fail, was " + duplicates);
            require(List.of("auto", "jsonl", "csv", "parquet", "delta", "table").contains(format),
                    TRACES_FORMAT, "must be auto, jsonl, csv, parquet, delta or table, was " + format);
        }
    }

    /** @param commitEvery new vectors per cache commit: what a killed run can lose, at most */
    public record Embed(String encoder, int batchSize, boolean cache, int commitEvery, int logEvery) {
        public Embed {
            require(batchSize > 0, EMBED_BATCH_SIZE, "must be positive");
            require(commitEvery > 0, EMBED_COMMIT_EVERY, "must be positive");
            require(logEvery > 0, EMBED_LOG_EVERY, "must be positive");
        }
    }

    /**
     * The train / selection / calibration split ({@value ConfigKeys#SPLIT}).
     *
     * @param order   {@code hash}: every unit placed by a hash; {@code time}: training takes the oldest
     *                units, selection and calibration the newest (split between them by the hash)
     * @param groupBy {@code trace-id}: each row is a unit; {@code input}: rows with the same normalised
     *                input text are one unit and land in one split
     */
    public record Split(double train, double selection, double calibration, int minStratifiedRows, String order,
                        String groupBy) {
        public static final String ORDER_HASH = "hash";
        public static final String ORDER_TIME = "time";
        public static final String GROUP_TRACE_ID = "trace-id";
        public static final String GROUP_INPUT = "input";

        public Split {
            require(List.of(ORDER_HASH, ORDER_TIME).contains(order), SPLIT_ORDER, "must be hash or time, was " + order);
            require(List.of(GROUP_TRACE_ID, GROUP_INPUT).contains(groupBy), SPLIT_GROUP_BY,
                    "must be trace-id or input, was " + groupBy);
            require(train > 0 && selection > 0 && calibration > 0, SPLIT,
                    "train, selection and calibration shares must all be positive");
            require(Math.abs(train + selection + calibration - 1.0) < 1e-9, SPLIT,
                    "shares must sum to 1, they sum to " + (train + selection + calibration));
            require(minStratifiedRows >= 3, SPLIT_MIN_STRATIFIED_ROWS, "must be at least 3");
        }
    }

    /**
     * @param searchRows    train rows every candidate is first fitted on (successive halving)
     * @param holdoutRows   train rows, kept out of every search fit, that score the candidates
     * @param outOfFoldRows train rows the finalists are cross-fitted on: the better wins, and its
     *                      held-out folds are the gates' out-of-fold rows
     * @param finalistMargin a finalist whose first-fold score trails the other's by more than this
     *                      (in the metric's units; at least 2/sqrt of that fold's rows) stops
     *                      there; 1 cross-fits both on every fold
     * @param refitRows     the published surrogate is the winner refitted on the train and
     *                      selection rows together when they are at most this many (0: never);
     *                      the selection split is still predicted by the fit on train rows alone
     */
    public record Zoo(String set, List<String> skip, List<String> add, int searchRows, int holdoutRows, int folds,
                      int outOfFoldRows, double finalistMargin, String metric, int parallelism, int refitRows) {
        public Zoo {
            require(List.of("light", "full").contains(set), ZOO_SET, "must be light or full, was " + set);
            require(searchRows >= 100, ZOO_SEARCH_ROWS, "must be at least 100, was " + searchRows);
            require(holdoutRows >= 100, ZOO_HOLDOUT_ROWS, "must be at least 100, was " + holdoutRows);
            require(folds >= 2, ZOO_FOLDS, "must be at least 2");
            require(outOfFoldRows >= 100, ZOO_OUT_OF_FOLD_ROWS, "must be at least 100, was " + outOfFoldRows);
            require(finalistMargin >= 0 && finalistMargin <= 1, ZOO_FINALIST_MARGIN,
                    "must be in [0, 1], was " + finalistMargin);
            require(List.of("macro-f1", "accuracy").contains(metric), ZOO_METRIC,
                    "must be macro-f1 or accuracy, was " + metric);
            require(parallelism >= 1, ZOO_PARALLELISM, "must be at least 1");
            require(refitRows >= 0, ZOO_REFIT_ROWS, "must be 0 (off) or more, was " + refitRows);
        }
    }

    /**
     * The gates ({@value ConfigKeys#GATE}).
     *
     * @param candidates           gate names, each tried in every L2D and RSB pipeline
     * @param neighbours           the trained gates' neighbour input: how many nearest reference
     *                             rows vote on the surrogate's label; 0 leaves the input out
     * @param neighbourLabels      whose rows are searched: the surrogate's this many most probable labels
     * @param neighbourRowsPerLabel the reference: at most this many train rows of each label, by trace id hash
     */
    public record Gate(List<String> candidates, int neighbours, int neighbourLabels, int neighbourRowsPerLabel) {
        public Gate {
            require(!candidates.isEmpty(), GATE_CANDIDATES, "must name at least one gate");
            require(neighbours >= 0, GATE_NEIGHBOURS, "must be 0 (off) or more, was " + neighbours);
            require(neighbourLabels >= 1, GATE_NEIGHBOUR_LABELS, "must be at least 1, was " + neighbourLabels);
            require(neighbourRowsPerLabel >= 1, GATE_NEIGHBOUR_ROWS_PER_LABEL,
                    "must be at least 1, was " + neighbourRowsPerLabel);
        }
    }

    /**
     * The out-of-distribution gate ({@value ConfigKeys#OOD}).
     *
     * @param enabled      measure the gate at fit time (and so apply it in certification and routing)
     * @param quantile     a row is out of distribution when its distance exceeds this quantile of
     *                     the train rows' distances (per predicted label)
     * @param minLabelRows labels predicted on fewer train rows than this use the global quantile
     */
    public record Ood(boolean enabled, double quantile, int minLabelRows) {
        public Ood {
            require(quantile > 0 && quantile <= 1, OOD_QUANTILE, "must be in (0, 1], was " + quantile);
            require(minLabelRows >= 1, OOD_MIN_LABEL_ROWS, "must be >= 1, was " + minLabelRows);
        }
    }

    public record Calibrate(List<Double> targets, double delta, int gridSize, double minCoverage, double deployTarget) {
        public Calibrate {
            require(!targets.isEmpty(), CALIBRATE_TARGETS, "must name at least one target");
            for (double t : targets) {
                require(t > 0 && t < 1, CALIBRATE_TARGETS, "each target must be in (0, 1), got " + t);
            }
            require(delta > 0 && delta < 1, CALIBRATE_DELTA, "must be in (0, 1)");
            require(gridSize >= 2, CALIBRATE_GRID_SIZE, "must be at least 2");
            require(minCoverage >= 0 && minCoverage <= 1, CALIBRATE_MIN_COVERAGE, "must be in [0, 1]");
            require(deployTarget > 0 && deployTarget < 1, CALIBRATE_DEPLOY_TARGET, "must be in (0, 1)");
        }

        /** The frontier's targets, ascending: the configured list plus the deploy target. */
        public List<Double> frontierTargets() {
            java.util.TreeSet<Double> all = new java.util.TreeSet<>(targets);
            all.add(deployTarget);
            return List.copyOf(all);
        }
    }

    /** @param rsbRows deferred out-of-fold rows an RSB second stage is trained on, at most */
    public record Pipeline(List<String> families, int rsbRows) {
        public Pipeline {
            for (String f : families) {
                require(List.of("global", "l2d", "rsb").contains(f), PIPELINE_FAMILIES,
                        "unknown family " + f + " (global, l2d, rsb)");
            }
            require(rsbRows >= 100, PIPELINE_RSB_ROWS, "must be at least 100, was " + rsbRows);
        }
    }

    /**
     * Where the lakehouse lives ({@value ConfigKeys#LAKEHOUSE}).
     *
     * @param root    Hadoop URI of the root: a directory per metric table, the policies, reports, caches
     * @param catalog the table prefix in the catalog ({@code db} or {@code catalog.schema}), "" for
     *                paths only; every metric table is then {@code <catalog>.<table>}, an external
     *                Delta table at {@code <root>/<table>}
     */
    public record Lakehouse(String root, String catalog) {
        /** A database, or catalog.schema: unquoted identifiers (letters, digits, _). */
        private static final java.util.regex.Pattern PREFIX =
                java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

        public Lakehouse {
            require(!root.isBlank(), LAKEHOUSE_ROOT, "must not be blank");
            catalog = catalog == null ? "" : catalog.trim();
            require(catalog.isEmpty() || PREFIX.matcher(catalog).matches(), LAKEHOUSE_CATALOG, "'" + catalog
                    + "' is not a table prefix: a database (tracer) or catalog.schema (main.tracer), letters, "
                    + "digits and _");
        }

        /**
         * The configured keys as one prefix: {@value ConfigKeys#LAKEHOUSE_DATABASE} is the older
         * name of {@value ConfigKeys#LAKEHOUSE_CATALOG} and is read as it (with a warning once per
         * process); both set to different values is an error, since the tables have one home.
         */
        static Lakehouse of(String root, String catalog, String database) {
            String c = catalog.trim();
            String d = database.trim();
            if (!d.isEmpty()) {
                require(c.isEmpty() || c.equals(d), LAKEHOUSE_DATABASE, "is deprecated and says '" + d + "' while "
                        + LAKEHOUSE_CATALOG + " says '" + c + "'; the tables have one home: set "
                        + LAKEHOUSE_CATALOG + " only");
                if (DATABASE_WARNED.compareAndSet(false, true)) {
                    org.slf4j.LoggerFactory.getLogger(TracerConfig.class).warn("configuration {} is deprecated: "
                            + "read as {} = \"{}\" (every metric table is a catalog table under that prefix); "
                            + "rename the key in your profile", LAKEHOUSE_DATABASE, LAKEHOUSE_CATALOG, d);
                }
                c = d;
            }
            return new Lakehouse(root, c);
        }

        /** True when the metric tables are catalog tables. */
        public boolean inCatalog() {
            return !catalog.isEmpty();
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean DATABASE_WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * {@code tracer scan} ({@value ConfigKeys#SCAN}): the quick read of a trace table.
     *
     * @param sampleRows      valid rows with an embedding the surrogate is fitted and judged on
     * @param heldoutShare    share of the sample held out to judge it
     * @param surrogate       the zoo candidate the scan fits
     * @param embedSampleRows texts embedded for the estimate when the table has no embeddings
     * @param tailRows        a label with fewer valid rows than this is in the long tail
     */
    public record Scan(int sampleRows, double heldoutShare, String surrogate, int embedSampleRows, int tailRows) {
        public Scan {
            require(sampleRows >= 200, SCAN_SAMPLE_ROWS, "must be at least 200, was " + sampleRows);
            require(heldoutShare > 0 && heldoutShare < 1, SCAN_HELDOUT_SHARE, "must be in (0, 1), was " + heldoutShare);
            require(!surrogate.isBlank(), SCAN_SURROGATE, "must name a zoo candidate");
            require(embedSampleRows >= 0, SCAN_EMBED_SAMPLE_ROWS, "must be >= 0, was " + embedSampleRows);
            require(tailRows >= 1, SCAN_TAIL_ROWS, "must be at least 1, was " + tailRows);
        }
    }

    /**
     * The fit summary's cost projection and the qualitative report ({@value ConfigKeys#REPORT}).
     *
     * @param dailyVolume      calls per day, for the cost projection
     * @param pricePerCall     teacher price per call, for the cost projection
     * @param worstLabels      labels listed as the worst in the summary
     * @param enabled          write the report (tables and HTML page) after each fit
     * @param examplesPerLabel handled and, separately, deferred examples kept per teacher label
     * @param boundarySample   handled and, separately, deferred rows per label sampled for boundary pairs
     * @param boundaryPairs    closest pairs kept per label
     */
    public record Report(long dailyVolume, double pricePerCall, int worstLabels, boolean enabled,
                         int examplesPerLabel, int boundarySample, int boundaryPairs) {
        /** An upper bound keeps the per-label cross join (boundary-sample squared rows) small. */
        static final int MAX_SAMPLE = 1000;

        public Report {
            requireSample(REPORT_EXAMPLES_PER_LABEL, examplesPerLabel);
            requireSample(REPORT_BOUNDARY_SAMPLE, boundarySample);
            requireSample(REPORT_BOUNDARY_PAIRS, boundaryPairs);
        }

        private static void requireSample(String key, int value) {
            require(value >= 1 && value <= MAX_SAMPLE, key, "must be in 1.." + MAX_SAMPLE + ", was " + value);
        }
    }

    public record SparkSettings(String defaultMaster, int shufflePartitions) {}

    /**
     * The HOCON a configuration was read from. Only this package looks inside: callers use
     * {@link TracerConfig#render()} and {@link TracerConfig#with(Map)}.
     */
    public static final class Source {
        private final Config config;

        Source(Config config) {
            this.config = config;
        }

        Config config() {
            return config;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Source s && s.config.equals(config);
        }

        @Override
        public int hashCode() {
            return config.hashCode();
        }

        @Override
        public String toString() {
            return "Source[" + config.origin().description() + "]";
        }
    }

    /** Reads and validates every key of the {@code tracer} block of a resolved config. */
    public static TracerConfig from(Config root) {
        try {
            return new TracerConfig(
                    root.getLong(SEED),
                    new Traces(root.getString(TRACES_FORMAT), root.getString(TRACES_INPUT_COL),
                            root.getString(TRACES_TEACHER_COL), root.getStringList(TRACES_INPUT_ALIASES),
                            root.getStringList(TRACES_TEACHER_ALIASES), root.getStringList(TRACES_ID_ALIASES),
                            root.getStringList(TRACES_TIMESTAMP_ALIASES),
                            root.getStringList(TRACES_GROUND_TRUTH_ALIASES),
                            root.getStringList(TRACES_EMBEDDING_ALIASES),
                            root.getDouble(TRACES_MAX_BAD_SHARE), root.getString(TRACES_DUPLICATES)),
                    new Embed(root.getString(EMBED_ENCODER), root.getInt(EMBED_BATCH_SIZE),
                            root.getBoolean(EMBED_CACHE), root.getInt(EMBED_COMMIT_EVERY), root.getInt(EMBED_LOG_EVERY)),
                    new Split(root.getDouble(SPLIT_TRAIN), root.getDouble(SPLIT_SELECTION),
                            root.getDouble(SPLIT_CALIBRATION), root.getInt(SPLIT_MIN_STRATIFIED_ROWS),
                            root.getString(SPLIT_ORDER), root.getString(SPLIT_GROUP_BY)),
                    new Zoo(root.getString(ZOO_SET), root.getStringList(ZOO_SKIP), root.getStringList(ZOO_ADD),
                            root.getInt(ZOO_SEARCH_ROWS), root.getInt(ZOO_HOLDOUT_ROWS), root.getInt(ZOO_FOLDS),
                            root.getInt(ZOO_OUT_OF_FOLD_ROWS), root.getDouble(ZOO_FINALIST_MARGIN),
                            root.getString(ZOO_METRIC),
                            root.getInt(ZOO_PARALLELISM), root.getInt(ZOO_REFIT_ROWS)),
                    new Gate(root.getStringList(GATE_CANDIDATES), root.getInt(GATE_NEIGHBOURS),
                            root.getInt(GATE_NEIGHBOUR_LABELS), root.getInt(GATE_NEIGHBOUR_ROWS_PER_LABEL)),
                    new Ood(root.getBoolean(OOD_ENABLED), root.getDouble(OOD_QUANTILE),
                            root.getInt(OOD_MIN_LABEL_ROWS)),
                    new Calibrate(root.getDoubleList(CALIBRATE_TARGETS), root.getDouble(CALIBRATE_DELTA),
                            root.getInt(CALIBRATE_GRID_SIZE), root.getDouble(CALIBRATE_MIN_COVERAGE),
                            root.getDouble(CALIBRATE_DEPLOY_TARGET)),
                    new Pipeline(root.getStringList(PIPELINE_FAMILIES), root.getInt(PIPELINE_RSB_ROWS)),
                    Lakehouse.of(root.getString(LAKEHOUSE_ROOT), root.getString(LAKEHOUSE_CATALOG),
                            root.getString(LAKEHOUSE_DATABASE)),
                    new Report(root.getLong(REPORT_DAILY_VOLUME), root.getDouble(REPORT_PRICE_PER_CALL),
                            root.getInt(REPORT_WORST_LABELS), root.getBoolean(REPORT_ENABLED),
                            root.getInt(REPORT_EXAMPLES_PER_LABEL), root.getInt(REPORT_BOUNDARY_SAMPLE),
                            root.getInt(REPORT_BOUNDARY_PAIRS)),
                    new Scan(root.getInt(SCAN_SAMPLE_ROWS), root.getDouble(SCAN_HELDOUT_SHARE),
                            root.getString(SCAN_SURROGATE), root.getInt(SCAN_EMBED_SAMPLE_ROWS),
                            root.getInt(SCAN_TAIL_ROWS)),
                    new SparkSettings(root.getString(SPARK_DEFAULT_MASTER), root.getInt(SPARK_SHUFFLE_PARTITIONS)),
                    new Source(root));
        } catch (ConfigException e) {
            throw new BadInputException("configuration: " + e.getMessage(), e);
        }
    }

    /**
     * This configuration with some keys set otherwise, read and validated again. Keys and values
     * are taken as {@code -D} overrides are ({@link ConfigLoader#load}): the {@code tracer.}
     * prefix may be left out, values are parsed as HOCON, e.g.
     * {@code config.with(Map.of(ConfigKeys.SEED, "7"))}.
     */
    public TracerConfig with(Map<String, String> overrides) {
        return ConfigLoader.resolve(source.config(), overrides);
    }

    /** The effective {@code tracer} block as HOCON, for the log at job start. */
    public String render() {
        return source.config().getConfig(PREFIX).root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false));
    }

    private static void require(boolean ok, String key, String why) {
        if (!ok) {
            throw new BadInputException("configuration " + key + ": " + why);
        }
    }
}
