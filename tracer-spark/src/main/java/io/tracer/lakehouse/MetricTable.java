package io.tracer.lakehouse;

import org.apache.spark.sql.types.StructType;

/**
 * The metric tables of the lakehouse, each a Delta table named {@link #tableName()} under the root
 * (and under the catalog prefix, when one is set). The comment of each is the first paragraph of
 * its section in docs/tables.md (a test keeps the two equal).
 */
public enum MetricTable {
    RUNS("runs", MetricTables.RUNS,
            "One row per run: what ran, on which traces, how many rows, which policy it published."),
    FRONTIER("frontier", MetricTables.FRONTIER,
            "One row per (target, candidate that served the target or has a step in its pre-registered sequence). "
                    + "Only the row marked certified is a certificate: the pipeline and threshold the target deploys, "
                    + "whose sequence certified agreement at least the target (docs/guarantee.md). Every other row "
                    + "shows that candidate's own run on calibration, computed after the choice, for information "
                    + "only: keeping the best of those runs would not keep the guarantee. selected marks the "
                    + "candidate the selection split chose; the deployed one can differ (the sequence's lead or "
                    + "fallback step, sequence_role)."),
    CANDIDATES("candidates", MetricTables.CANDIDATES,
            "One row per fit the zoo made (each successive-halving rung a surrogate reached, each finalist's "
                    + "cross-fit, the winner's final fit), with the rows it saw, and one row per gate."),
    LABEL_COVERAGE("label_coverage", MetricTables.LABEL_COVERAGE,
            "One row per (target, label) for the selected policy: how much of each teacher label it handles and "
                    + "how well, on the calibration split."),
    EXAMPLES("examples", MetricTables.EXAMPLES,
            "A few sampled rows per (target, label): what the policy decided, for people to read."),
    SLICES("slices", MetricTables.SLICES,
            "One row per slice of the calibration split as the deployed policy routes it: all rows, each teacher "
                    + "label, each input-length tercile."),
    BOUNDARY_PAIRS("boundary_pairs", MetricTables.BOUNDARY_PAIRS,
            "Per teacher label, pairs of a handled and a deferred calibration row that lie close together in "
                    + "embedding space: where the policy's line runs through the label."),
    QUARANTINE("quarantine", MetricTables.QUARANTINE,
            "Rows refused on read, with the reason and where they came from. Nothing is dropped silently."),
    AUDIT("audit", MetricTables.AUDIT,
            "One row per tracer audit run overall and one per answered label: how much traffic the policy "
                    + "handled and whether agreement on the rows the teacher checked falls significantly below "
                    + "the target."),
    LABEL_DELTAS("label_deltas", MetricTables.LABEL_DELTAS,
            "One row per (target, label) comparing a run with its parent run (tracer update)."),
    HISTORY("history", MetricTables.HISTORY,
            "One row per policy publication: which version, what it replaced, whether it went live."),
    SCANS("scans", MetricTables.SCANS,
            "One row per tracer scan: what a trace table holds and what a fit could make of it, as an "
                    + "estimate, not a certificate.");

    private final String tableName;
    private final StructType schema;
    private final String comment;

    MetricTable(String tableName, StructType schema, String comment) {
        this.tableName = tableName;
        this.schema = schema;
        this.comment = comment;
    }

    /** The table's directory name under the root, and its name in the catalog. */
    public String tableName() {
        return tableName;
    }

    /** The explicit schema every write is checked against (column comments included). */
    public StructType schema() {
        return schema;
    }

    /** The table comment (DESCRIBE TABLE's Comment): the first paragraph of its docs/tables.md section. */
    public String comment() {
        return comment;
    }

    /** Everything a writer needs to create, evolve and describe the table. */
    public TableDefinition definition() {
        return new TableDefinition(tableName, schema, comment, MetricTables.schemaHistory(schema));
    }

    /** The table's schema version in this release: 1, plus one per release that added columns. */
    public int schemaVersion() {
        return definition().schemaVersion();
    }
}
