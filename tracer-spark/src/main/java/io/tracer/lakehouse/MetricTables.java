package io.tracer.lakehouse;

import io.tracer.config.ConfigKeys;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * The explicit schema of each metric table. Every column carries a comment, which Delta keeps,
 * so DESCRIBE TABLE explains the table too; docs/tables.md says the same for people (a test
 * keeps the two in step). Only {@code run_id} is NOT NULL: it is the key of every write.
 */
public final class MetricTables {
    private MetricTables() {}

    /** The key column of every metric table. */
    public static final String RUN_ID = "run_id";

    private static final DataType STRING = DataTypes.StringType;
    private static final DataType DOUBLE = DataTypes.DoubleType;
    private static final DataType LONG = DataTypes.LongType;
    private static final DataType INT = DataTypes.IntegerType;
    private static final DataType BOOL = DataTypes.BooleanType;
    private static final DataType TIME = DataTypes.TimestampType;

    public static final StructType RUNS = schema(
            key(),
            col("parent_run_id", STRING, "run this one updated (tracer update), null for a first fit"),
            col("started_at", TIME, "when the run started"),
            col("finished_at", TIME, "when the run finished, null while running"),
            col("status", STRING, "running, succeeded, failed (a run whose process was killed stays running, with no finished_at, until it is run again)"),
            col("command", STRING, "the tracer subcommand (fit, update, ...)"),
            col("traces_uri", STRING, "where the traces were read from"),
            col("traces_version", LONG, "Delta version of the traces read, null when not a Delta table"),
            col("rows_read", LONG, "trace rows read: always rows_quarantined + rows_duplicates + rows_train + rows_selection + rows_calibration on a succeeded fit"),
            col("rows_valid", LONG, "rows that passed validation and duplicate resolution: rows_train + rows_selection + rows_calibration"),
            col("rows_quarantined", LONG, "rows refused as invalid (in the quarantine table with their reason)"),
            col("rows_duplicates", LONG, "rows dropped as duplicate trace ids (in the quarantine table as duplicate_trace_id)"),
            col("rows_train", LONG, "rows in the train split"),
            col("rows_selection", LONG, "rows in the selection split"),
            col("rows_calibration", LONG, "rows in the calibration split"),
            col("seed", LONG, "the root seed"),
            col("config", STRING, "the effective configuration (HOCON)"),
            col("code_version", STRING, "tracer version that ran"),
            col("policy_uri", STRING, "policy version directory written by the run, null if none"),
            col("message", STRING, "summary or failure message; when the run id ran before (a retry), it ends with \"retry of an attempt started <time> that never finished\" (killed) or \"that failed at <time>: <why>\""));

    public static final StructType FRONTIER = schema(
            key(),
            col("target", DOUBLE, "agreement target"),
            col("delta", DOUBLE, "allowed failure probability of the guarantee"),
            col("family", STRING, "global, l2d or rsb"),
            col("surrogate", STRING, "surrogate name (first stage's, for multi-stage families)"),
            col("gate", STRING, "gate name"),
            col("selected", BOOL, "true for the candidate the selection split chose at this target"),
            col("certified", BOOL, "true on the one row per target whose pipeline and threshold the target deploys: its pre-registered sequence certified agreement >= target there; false on every other row (information only)"),
            col("threshold", DOUBLE, "certified row: the deployed threshold; other rows: the threshold the candidate's own run would reach (information only); null when none"),
            col("coverage_cal", DOUBLE, "share of calibration rows handled at the threshold"),
            col("agreement_cal", DOUBLE, "agreement with the teacher on handled calibration rows"),
            col("agreement_lower", DOUBLE, "Clopper-Pearson lower bound at this threshold alone (a per-threshold figure, not a certificate: the threshold was chosen from the same counts)"),
            col("p_value", DOUBLE, "exact binomial p-value at the threshold"),
            col("accepted", LONG, "calibration rows handled"),
            col("agreeing", LONG, "handled calibration rows agreeing with the teacher"),
            col("calibration_rows", LONG, "calibration rows"),
            col("coverage_selection", DOUBLE, "coverage the selection split predicts the candidate would certify at this target (the choice)"),
            col("reason", STRING, "why the row is not the deployed one, or why nothing is deployed (including \"withheld\": a more lenient target deploys nothing); null on the certified row"),
            col("standalone_pass", BOOL, "information only: the candidate's own fixed-sequence run at full delta rejected somewhere (not a certificate: keeping the best of several such runs would not keep the guarantee)"),
            col("sequence_role", STRING, "the roles of this candidate's steps in the target's pre-registered sequence: lead, fallback, selected (comma-separated); null when it has none"));

    public static final StructType CANDIDATES = schema(
            key(),
            col("kind", STRING, "surrogate or gate"),
            col("name", STRING, "candidate name"),
            col("stage", INT, "routing stage the candidate was fitted for (0 for single-stage)"),
            col("phase", STRING, "surrogates: search (one row per halving rung reached), cross-fit (a finalist's k folds on the out-of-fold sample, or its first fold only when it trailed by more than the margin there; the better of two finalists wins), final (the winner on every train row) or refit (the winner on every train and selection row: the published surrogate, under "
                    + ConfigKeys.ZOO_REFIT_ROWS + "); null for gates"),
            col("rung", INT, "successive-halving rung of a search row (0 first); null otherwise"),
            col("train_rows", LONG, "rows the fit saw (per fold for the cross-fit; the out-of-fold rows for a gate)"),
            col("eval_rows", LONG, "rows the score was measured on: the search holdout, the cross-fit sample (its first fold for a finalist that stopped there), or the selection split for a gate; null for the final fit"),
            col("metric", STRING, "selection metric: macro-f1 or accuracy"),
            col("fold_scores", DataTypes.createArrayType(DOUBLE, true), "metric per cross-fit fold (empty for other rows)"),
            col("mean", DOUBLE, "the metric: on the holdout (search), mean over folds (cross-fit); null for the final fit"),
            col("std", DOUBLE, "standard deviation of fold_scores; null without folds or with one"),
            col("accuracy", DOUBLE, "accuracy against the teacher on the rows mean was measured on (surrogates only)"),
            col("macro_f1", DOUBLE, "macro-F1 against the teacher on the rows mean was measured on (surrogates only)"),
            col("auc_selection", DOUBLE, "gate AUC for predicting agreement on the selection split"),
            col("fit_seconds", DOUBLE, "wall seconds to fit"),
            col("iterations", INT, "optimizer iterations (logistic regression, MLP; the most over folds); null for other models"),
            col("converged", BOOL, "true when the fit stopped on its tolerance before the iteration cap; null as for iterations"),
            col("selected", BOOL, "true for the candidate the run kept"));

    public static final StructType LABEL_COVERAGE = schema(
            key(),
            col("target", DOUBLE, "agreement target"),
            col("label", STRING, "teacher label"),
            col("rows", LONG, "calibration rows with this teacher label"),
            col("handled", LONG, "of those, rows the policy handles"),
            col("handled_share", DOUBLE, "handled / rows"),
            col("agreeing", LONG, "handled rows where the surrogate agrees with the teacher"),
            col("agreement_on_handled", DOUBLE, "agreeing / handled, null when handled = 0"));

    public static final StructType EXAMPLES = schema(
            key(),
            col("target", DOUBLE, "agreement target"),
            col("label", STRING, "teacher label the example was sampled for"),
            col("trace_id", STRING, "trace id"),
            col("input", STRING, "input text"),
            col("decision", STRING, "handled or deferred"),
            col("accept_score", DOUBLE, "gate score in [0, 1]"),
            col("surrogate_label", STRING, "the surrogate's label"),
            col("teacher", STRING, "the teacher's label"));

    public static final StructType SLICES = schema(
            key(),
            col("target", DOUBLE, "agreement target of the deployed policy"),
            col("dimension", STRING, "what the slice cuts on: all, label or input_length"),
            col("slice", STRING, "the slice: all, the teacher label, or short / medium / long (input-length terciles)"),
            col("length_min", INT, "shortest input in the slice, in characters"),
            col("length_max", INT, "longest input in the slice, in characters"),
            col("rows", LONG, "calibration rows in the slice"),
            col("handled", LONG, "of those, rows the policy handles"),
            col("handled_share", DOUBLE, "handled / rows"),
            col("agreeing", LONG, "handled rows where the surrogate agrees with the teacher"),
            col("agreement_on_handled", DOUBLE, "agreeing / handled, null when handled = 0"),
            col("handled_stage1", LONG, "handled rows answered by the first stage"),
            col("handled_stage2", LONG, "handled rows answered by the second stage (rsb only)"),
            col("deferred_gate", LONG, "deferred rows whose accept score is below the threshold"),
            col("deferred_ood", LONG, "deferred rows the out-of-distribution gate flagged"));

    public static final StructType BOUNDARY_PAIRS = schema(
            key(),
            col("target", DOUBLE, "agreement target of the deployed policy"),
            col("label", STRING, "teacher label of both rows"),
            col("rank", INT, "1 for the closest pair of the label, 2 for the next, ..."),
            col("distance", DOUBLE, "Euclidean distance between the two rows' embeddings"),
            col("handled_trace_id", STRING, "trace id of the handled row"),
            col("handled_input", STRING, "input text of the handled row"),
            col("handled_score", DOUBLE, "accept score of the handled row"),
            col("handled_surrogate_label", STRING, "the surrogate's label on the handled row"),
            col("deferred_trace_id", STRING, "trace id of the deferred row"),
            col("deferred_input", STRING, "input text of the deferred row"),
            col("deferred_score", DOUBLE, "accept score of the deferred row, NaN when the OOD gate flagged it"),
            col("deferred_reason", STRING, "why it was deferred: gate_score or out_of_distribution"));

    /** The columns io.tracer.traces.Quarantine appends, in its order (a test compares the two). */
    public static final StructType QUARANTINE = schema(
            key(),
            col("reason", STRING, "why the row was refused (io.tracer.traces.QuarantineReason)"),
            col("source_uri", STRING, "the trace table or file the load read"),
            col("source_file", STRING, "file the row came from, when known"),
            col("source_line", LONG, "1-based line in source_file, when known"),
            col("trace_id", STRING, "trace id when known"),
            col("input", STRING, "input text as read, when present"),
            col("teacher", STRING, "teacher label as read, when present"),
            col("raw", STRING, "the raw line or row as text, when the reader has it"),
            col("quarantined_at", TIME, "when the row was quarantined"));

    public static final StructType AUDIT = schema(
            key(),
            col("policy_version", STRING, "policy version audited"),
            col("target", DOUBLE, "agreement target of the policy"),
            col("delta", DOUBLE, "allowed failure probability of the policy's guarantee"),
            col("alpha", DOUBLE, "significance level of the violation test (the policy's delta unless --alpha)"),
            col("scope", STRING, "overall, or label for one answered label"),
            col("label", STRING, "the answered label (surrogate's when handled, teacher's when deferred); null overall"),
            col("rows", LONG, "audited rows"),
            col("handled", LONG, "of those, rows the policy handles"),
            col("handled_share", DOUBLE, "handled / rows"),
            col("checked", LONG, "handled rows in the shadow sample with a teacher label"),
            col("agreeing", LONG, "checked rows where the surrogate agrees with the teacher"),
            col("agreement", DOUBLE, "agreeing / checked, null when checked = 0"),
            col("ci_lower", DOUBLE, "two-sided exact (Clopper-Pearson) 1 - alpha interval on agreement, lower end"),
            col("ci_upper", DOUBLE, "the same interval's upper end"),
            col("p_value", DOUBLE, "exact one-sided p-value of H0 agreement >= target: P(Binom(checked, target) <= agreeing)"),
            col("violated", BOOL, "overall: p_value <= alpha; per label: p_value <= alpha / labels checked (Bonferroni)"),
            col("audited_at", TIME, "when the audit ran"));

    public static final StructType LABEL_DELTAS = schema(
            key(),
            col("parent_run_id", STRING, "the run compared against"),
            col("target", DOUBLE, "agreement target"),
            col("label", STRING, "teacher label"),
            col("status", STRING, "new, removed or kept"),
            col("rows_before", LONG, "calibration rows of the label in the parent run"),
            col("rows_after", LONG, "calibration rows of the label in this run"),
            col("handled_share_before", DOUBLE, "handled share in the parent run"),
            col("handled_share_after", DOUBLE, "handled share in this run"),
            col("agreement_before", DOUBLE, "agreement on handled rows in the parent run"),
            col("agreement_after", DOUBLE, "agreement on handled rows in this run"));

    public static final StructType HISTORY = schema(
            key(),
            col("version_id", STRING, "policy version directory name under policies/versions"),
            col("previous_version_id", STRING, "version that was current before, null if none"),
            col("published_at", TIME, "when the version was published"),
            col("policy_uri", STRING, "the version directory"),
            col("made_current", BOOL, "true when CURRENT was flipped to it"),
            col("method", STRING, "global, l2d, rsb or none"),
            col("target", DOUBLE, "agreement target of the policy"),
            col("certified", BOOL, "true when the policy carries a certified threshold"),
            col("reason", STRING, "why it was not made current or deploys nothing, null otherwise"));

    /** One row per tracer scan ({@code io.tracer.scan.ScanJob}). */
    public static final StructType SCANS = schema(
            key(),
            col("scanned_at", TIME, "when the scan ran"),
            col("traces_uri", STRING, "the trace table scanned"),
            col("traces_version", LONG, "Delta version of the traces read, null when not a Delta table"),
            col("rows_read", LONG, "trace rows read: rows_invalid + rows_duplicates + rows_valid"),
            col("rows_invalid", LONG, "rows a fit would quarantine as invalid (quarantine_by_reason says why)"),
            col("rows_duplicates", LONG, "rows repeating the trace id of another valid row (a fit keeps one per id)"),
            col("rows_valid", LONG, "rows a fit would learn from"),
            col("invalid_share", DOUBLE, "rows_invalid / rows_read"),
            col("too_many_invalid", BOOL, "true when invalid_share exceeds " + ConfigKeys.TRACES_MAX_BAD_SHARE + ": a fit would stop"),
            col("quarantine_by_reason", DataTypes.createMapType(STRING, LONG, true), "invalid and duplicate rows per quarantine reason"),
            col("quarantine_written", BOOL, "true when the scan wrote those rows to the quarantine table (--write-quarantine)"),
            col("duplicate_share", DOUBLE, "rows_duplicates / rows_read"),
            col("labels", INT, "distinct teacher labels among valid rows"),
            col("label_counts", DataTypes.createMapType(STRING, LONG, true), "valid rows per teacher label"),
            col("tail_rows", INT, "the long-tail bound (" + ConfigKeys.SCAN_TAIL_ROWS + "): a label with fewer valid rows is in the tail"),
            col("tail_labels", INT, "labels with fewer than tail_rows valid rows"),
            col("tail_share", DOUBLE, "share of valid rows whose label is in the tail"),
            col("head_labels", INT, "fewest labels that together hold 80% of the valid rows"),
            col("input_chars_min", INT, "shortest valid input, in characters"),
            col("input_chars_p50", INT, "median input length in characters (approximate)"),
            col("input_chars_p90", INT, "90th percentile of input length in characters (approximate)"),
            col("input_chars_p99", INT, "99th percentile of input length in characters (approximate)"),
            col("input_chars_max", INT, "longest valid input, in characters"),
            col("input_chars_mean", DOUBLE, "mean input length in characters"),
            col("embedding_column", STRING, "the table's embedding column, null when it has none"),
            col("embedding_dim", INT, "vector width: the encoder's, or the most common one; the built-in encoder's when the table has none"),
            col("encoder", STRING, "encoder id of the vectors (column metadata), or of the configured built-in encoder a fit would use ("
                    + ConfigKeys.EMBED_ENCODER + ")"),
            col("texts_to_embed", LONG, "distinct input texts a fit would embed: 0 when the table has embeddings"),
            col("encoder_texts_per_second", DOUBLE, "encoder throughput measured by this scan on all executor cores; null when it embedded nothing"),
            col("embed_seconds_estimate", DOUBLE, "texts_to_embed / encoder_texts_per_second: time a fit would spend embedding (the cache can make it less)"),
            col("surrogate", STRING, "the zoo candidate the scan fitted (" + ConfigKeys.SCAN_SURROGATE + ")"),
            col("sample_rows", LONG, "rows the surrogate was fitted on"),
            col("heldout_rows", LONG, "held-out rows the estimate was measured on"),
            col("surrogate_agreement", DOUBLE, "agreement of the surrogate with the teacher on the held-out rows (accuracy)"),
            col("calibration_rows", LONG, "calibration rows a fit of this table would certify on: the size the estimate is projected to"),
            col("delta", DOUBLE, "allowed failure probability the estimate is computed at (" + ConfigKeys.CALIBRATE_DELTA + ")"),
            col("estimates", DataTypes.createArrayType(new StructType(new StructField[] {
                    new StructField("target", DOUBLE, true, org.apache.spark.sql.types.Metadata.empty()),
                    new StructField("coverage", DOUBLE, true, org.apache.spark.sql.types.Metadata.empty()),
                    new StructField("agreement", DOUBLE, true, org.apache.spark.sql.types.Metadata.empty()),
                    new StructField("calls_saved_per_day", DOUBLE, true, org.apache.spark.sql.types.Metadata.empty())}), true),
                    "per target: ESTIMATED coverage a fit could certify with the scan's surrogate, a top-1 gate and the OOD gate, agreement on what it handles, teacher calls saved per day at " + ConfigKeys.REPORT_DAILY_VOLUME + "; not a certificate"),
            col("daily_volume", LONG, "queries per day the savings are projected for (" + ConfigKeys.REPORT_DAILY_VOLUME + ")"),
            col("seconds", DOUBLE, "wall seconds the scan took"),
            col("code_version", STRING, "tracer version that ran"),
            col("message", STRING, "the scan's verdict in one line"));

    /**
     * Columns each table gained after its first release, one list per release that added some,
     * oldest first: the table's schema versions ({@link TableDefinition}). A table on disk whose
     * only difference from this release's schema is some of these columns was written by an older
     * release, and gets them added ({@link DeltaWriter}); any other difference is refused.
     */
    public static List<List<String>> schemaHistory(StructType table) {
        if (table == RUNS) {
            return List.of(List.of("rows_duplicates", "rows_train", "rows_selection", "rows_calibration"));
        }
        if (table == FRONTIER) {
            return List.of(List.of("standalone_pass", "sequence_role"));
        }
        if (table == CANDIDATES) {
            return List.of(List.of("phase", "rung", "train_rows", "eval_rows", "iterations", "converged"));
        }
        return List.of();
    }

    /** Every column {@link #schemaHistory} lists for {@code table}. */
    public static List<String> addedSinceFirstRelease(StructType table) {
        return schemaHistory(table).stream().flatMap(List::stream).toList();
    }

    private static StructField key() {
        return new StructField(RUN_ID, STRING, false, org.apache.spark.sql.types.Metadata.empty())
                .withComment("run id: the key every write of a run replaces");
    }

    private static StructField col(String name, DataType type, String comment) {
        return new StructField(name, type, true, org.apache.spark.sql.types.Metadata.empty()).withComment(comment);
    }

    private static StructType schema(StructField... fields) {
        return new StructType(fields);
    }
}
