package io.tracer.lakehouse;

import org.apache.spark.sql.types.StructType;

/** The metric tables of the lakehouse, each a Delta table named {@link #tableName()} under the root. */
public enum MetricTable {
    /** One row per run: what ran, on which traces, how many rows, which policy it published. */
    RUNS("runs", MetricTables.RUNS),
    /** One row per (target, family): the certification outcome of each candidate policy. */
    FRONTIER("frontier", MetricTables.FRONTIER),
    /** One row per surrogate or gate candidate: its cross-validated scores. */
    CANDIDATES("candidates", MetricTables.CANDIDATES),
    /** One row per (target, label): how much of each label the selected policy handles. */
    LABEL_COVERAGE("label_coverage", MetricTables.LABEL_COVERAGE),
    /** Sampled rows per (target, label): what the policy decided, for people to read. */
    EXAMPLES("examples", MetricTables.EXAMPLES),
    /** Coverage and agreement of the deployed policy per slice (all, each label, input-length terciles). */
    SLICES("slices", MetricTables.SLICES),
    /** Per label, a handled and a deferred row close to each other in embedding space. */
    BOUNDARY_PAIRS("boundary_pairs", MetricTables.BOUNDARY_PAIRS),
    /** Rows refused on read, with the reason and where they came from. */
    QUARANTINE("quarantine", MetricTables.QUARANTINE),
    /** One row per audit run overall and per answered label: agreement on handled rows against the target. */
    AUDIT("audit", MetricTables.AUDIT),
    /** One row per (target, label) comparing a run with its parent run (tracer update). */
    LABEL_DELTAS("label_deltas", MetricTables.LABEL_DELTAS),
    /** One row per policy publication: which version, what it replaced, whether it went live. */
    HISTORY("history", MetricTables.HISTORY);

    private final String tableName;
    private final StructType schema;

    MetricTable(String tableName, StructType schema) {
        this.tableName = tableName;
        this.schema = schema;
    }

    /** The table's directory name under the root, and its name in the catalog. */
    public String tableName() {
        return tableName;
    }

    /** The explicit schema every write is checked against (column comments included). */
    public StructType schema() {
        return schema;
    }
}
