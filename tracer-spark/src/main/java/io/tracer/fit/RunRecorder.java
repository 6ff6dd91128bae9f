package io.tracer.fit;

import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricRows;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.TableRows;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Keeps a run's row in the runs table true: written as running when the run starts and
 * rewritten (same run id, so replaced, not duplicated) as succeeded or failed at the end.
 */
public final class RunRecorder {
    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;
    private final String runId;
    private final String parentRunId;
    private final String command;
    private final String tracesUri;
    private final Timestamp startedAt = Timestamp.from(Instant.now());

    public RunRecorder(SparkSession spark, TracerConfig config, LakehouseLayout layout, String runId,
                       String parentRunId, String command, String tracesUri) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
        this.runId = runId;
        this.parentRunId = parentRunId;
        this.command = command;
        this.tracesUri = tracesUri;
    }

    /**
     * Records the run as running. When the run id already has a row (an earlier attempt of the
     * same run: killed, failed, or finished), that attempt is named in this one's message, so a
     * retry does not erase the record of the attempt before it: an attempt still marked running
     * was killed or lost its driver (nothing else leaves that status behind).
     */
    public void started() {
        earlierAttempt = earlierAttempt();
        write("running", null, null, null, null, earlierAttempt.isEmpty() ? "started" : "started; " + earlierAttempt);
        io.tracer.Faults.point("runs.started");
    }

    public void succeeded(RowAccounting rows, Long tracesVersion, String policyUri, String message) {
        io.tracer.Faults.point("runs.succeeded");
        write("succeeded", Timestamp.from(Instant.now()), tracesVersion, rows, policyUri, withEarlier(message));
    }

    public void failed(Throwable error) {
        write("failed", Timestamp.from(Instant.now()), null, null, null,
                withEarlier(String.valueOf(error.getMessage())));
    }

    private String earlierAttempt = "";

    private String withEarlier(String message) {
        return earlierAttempt.isEmpty() ? message : message + "; " + earlierAttempt;
    }

    /** "retry of an attempt that ..." for this run id's existing row, or "" when there is none. */
    private String earlierAttempt() {
        if (!io.delta.tables.DeltaTable.isDeltaTable(spark, layout.runs())) {
            return "";
        }
        List<org.apache.spark.sql.Row> rows = spark.read().format("delta").load(layout.runs())
                .where(org.apache.spark.sql.functions.col("run_id").equalTo(runId))
                .select("status", "started_at", "finished_at", "message").collectAsList();
        if (rows.isEmpty()) {
            return "";
        }
        org.apache.spark.sql.Row r = rows.get(0);
        String status = r.isNullAt(0) ? "unknown" : r.getString(0);
        String started = r.isNullAt(1) ? "?" : r.getTimestamp(1).toInstant().toString();
        String how = switch (status) {
            case "running" -> "never finished (killed, or its driver was lost)";
            case "failed" -> "failed at " + (r.isNullAt(2) ? "?" : r.getTimestamp(2).toInstant().toString())
                    + ": " + abbreviate(r.isNullAt(3) ? "" : r.getString(3));
            default -> status + (r.isNullAt(2) ? "" : " at " + r.getTimestamp(2).toInstant());
        };
        // Keep only the latest earlier attempt's own words: its message may itself name older ones.
        return "retry of an attempt started " + started + " that " + how;
    }

    private static String abbreviate(String s) {
        int cut = s.indexOf("; retry of an attempt");
        String own = cut < 0 ? s : s.substring(0, cut);
        return own.length() <= 200 ? own : own.substring(0, 200) + "...";
    }

    private void write(String status, Timestamp finishedAt, Long tracesVersion, RowAccounting rows,
                       String policyUri, String message) {
        MetricRows.RunRow row = new MetricRows.RunRow(runId, parentRunId, startedAt, finishedAt, status, command,
                tracesUri, tracesVersion, rows == null ? null : rows.read(), rows == null ? null : rows.valid(),
                rows == null ? null : rows.invalid(), rows == null ? null : rows.duplicates(),
                rows == null ? null : rows.train(), rows == null ? null : rows.selection(),
                rows == null ? null : rows.calibration(), config.seed(), config.render(), CodeVersion.get(),
                policyUri, message);
        new DeltaWriter(spark, layout).write(MetricTable.RUNS, runId,
                TableRows.toDataFrame(spark, MetricTable.RUNS, List.of(row)));
    }
}
