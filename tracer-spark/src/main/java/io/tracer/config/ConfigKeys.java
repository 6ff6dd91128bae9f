package io.tracer.config;

/**
 * Every configuration key, spelled once. conf/default.conf defines the same keys with their
 * defaults (a test checks the two lists match); {@link TracerConfig#from} reads each one into a
 * record field. Code outside this package names a key through these constants: the command-line
 * flags mapped to keys, and error messages that tell the user which key to change.
 *
 * <p>Section constants ({@link #SPLIT}, {@link #ZOO}, ...) name a whole block, for messages about
 * several of its keys at once.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** The block every key lives in; {@code -D} overrides may leave it out. */
    public static final String PREFIX = "tracer";

    public static final String SEED = "tracer.seed";

    public static final String TRACES = "tracer.traces";
    public static final String TRACES_FORMAT = "tracer.traces.format";
    public static final String TRACES_INPUT_COL = "tracer.traces.input-col";
    public static final String TRACES_TEACHER_COL = "tracer.traces.teacher-col";
    public static final String TRACES_INPUT_ALIASES = "tracer.traces.input-aliases";
    public static final String TRACES_TEACHER_ALIASES = "tracer.traces.teacher-aliases";
    public static final String TRACES_ID_ALIASES = "tracer.traces.id-aliases";
    public static final String TRACES_TIMESTAMP_ALIASES = "tracer.traces.timestamp-aliases";
    public static final String TRACES_GROUND_TRUTH_ALIASES = "tracer.traces.ground-truth-aliases";
    public static final String TRACES_EMBEDDING_ALIASES = "tracer.traces.embedding-aliases";
    public static final String TRACES_MAX_BAD_SHARE = "tracer.traces.max-bad-share";
    public static final String TRACES_DUPLICATES = "tracer.traces.duplicates";

    public static final String EMBED = "tracer.embed";
    public static final String EMBED_ENCODER = "tracer.embed.encoder";
    public static final String EMBED_BATCH_SIZE = "tracer.embed.batch-size";
    public static final String EMBED_CACHE = "tracer.embed.cache";
    public static final String EMBED_COMMIT_EVERY = "tracer.embed.commit-every";
    public static final String EMBED_LOG_EVERY = "tracer.embed.log-every";

    public static final String SPLIT = "tracer.split";
    public static final String SPLIT_TRAIN = "tracer.split.train";
    public static final String SPLIT_SELECTION = "tracer.split.selection";
    public static final String SPLIT_CALIBRATION = "tracer.split.calibration";
    public static final String SPLIT_MIN_STRATIFIED_ROWS = "tracer.split.min-stratified-rows";
    public static final String SPLIT_ORDER = "tracer.split.order";
    public static final String SPLIT_GROUP_BY = "tracer.split.group-by";

    public static final String ZOO = "tracer.zoo";
    public static final String ZOO_SET = "tracer.zoo.set";
    public static final String ZOO_SKIP = "tracer.zoo.skip";
    public static final String ZOO_ADD = "tracer.zoo.add";
    public static final String ZOO_FOLDS = "tracer.zoo.folds";
    public static final String ZOO_SEARCH_ROWS = "tracer.zoo.search-rows";
    public static final String ZOO_HOLDOUT_ROWS = "tracer.zoo.holdout-rows";
    public static final String ZOO_OUT_OF_FOLD_ROWS = "tracer.zoo.out-of-fold-rows";
    public static final String ZOO_REFIT_ROWS = "tracer.zoo.refit-rows";
    public static final String ZOO_FINALIST_MARGIN = "tracer.zoo.finalist-margin";
    public static final String ZOO_METRIC = "tracer.zoo.metric";
    public static final String ZOO_PARALLELISM = "tracer.zoo.parallelism";

    public static final String GATE = "tracer.gate";
    public static final String GATE_CANDIDATES = "tracer.gate.candidates";
    public static final String GATE_NEIGHBOURS = "tracer.gate.neighbours";
    public static final String GATE_NEIGHBOUR_LABELS = "tracer.gate.neighbour-labels";
    public static final String GATE_NEIGHBOUR_ROWS_PER_LABEL = "tracer.gate.neighbour-rows-per-label";

    public static final String OOD = "tracer.ood";
    public static final String OOD_ENABLED = "tracer.ood.enabled";
    public static final String OOD_QUANTILE = "tracer.ood.quantile";
    public static final String OOD_MIN_LABEL_ROWS = "tracer.ood.min-label-rows";

    public static final String CALIBRATE = "tracer.calibrate";
    public static final String CALIBRATE_TARGETS = "tracer.calibrate.targets";
    public static final String CALIBRATE_DELTA = "tracer.calibrate.delta";
    public static final String CALIBRATE_GRID_SIZE = "tracer.calibrate.grid-size";
    public static final String CALIBRATE_MIN_COVERAGE = "tracer.calibrate.min-coverage";
    public static final String CALIBRATE_DEPLOY_TARGET = "tracer.calibrate.deploy-target";

    public static final String PIPELINE = "tracer.pipeline";
    public static final String PIPELINE_FAMILIES = "tracer.pipeline.families";
    public static final String PIPELINE_RSB_ROWS = "tracer.pipeline.rsb-rows";

    public static final String LAKEHOUSE = "tracer.lakehouse";
    public static final String LAKEHOUSE_ROOT = "tracer.lakehouse.root";
    public static final String LAKEHOUSE_CATALOG = "tracer.lakehouse.catalog";
    /** Deprecated: the older name of {@link #LAKEHOUSE_CATALOG}, still read as it. */
    public static final String LAKEHOUSE_DATABASE = "tracer.lakehouse.database";

    public static final String REPORT = "tracer.report";
    public static final String REPORT_DAILY_VOLUME = "tracer.report.daily-volume";
    public static final String REPORT_PRICE_PER_CALL = "tracer.report.price-per-call";
    public static final String REPORT_WORST_LABELS = "tracer.report.worst-labels";
    public static final String REPORT_ENABLED = "tracer.report.enabled";
    public static final String REPORT_EXAMPLES_PER_LABEL = "tracer.report.examples-per-label";
    public static final String REPORT_BOUNDARY_SAMPLE = "tracer.report.boundary-sample";
    public static final String REPORT_BOUNDARY_PAIRS = "tracer.report.boundary-pairs";

    public static final String SCAN = "tracer.scan";
    public static final String SCAN_SAMPLE_ROWS = "tracer.scan.sample-rows";
    public static final String SCAN_HELDOUT_SHARE = "tracer.scan.heldout-share";
    public static final String SCAN_SURROGATE = "tracer.scan.surrogate";
    public static final String SCAN_EMBED_SAMPLE_ROWS = "tracer.scan.embed-sample-rows";
    public static final String SCAN_TAIL_ROWS = "tracer.scan.tail-rows";

    public static final String SPARK = "tracer.spark";
    public static final String SPARK_DEFAULT_MASTER = "tracer.spark.default-master";
    public static final String SPARK_SHUFFLE_PARTITIONS = "tracer.spark.shuffle-partitions";
}
