package io.tracer.fit;

import io.tracer.CodeVersion;
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

    public void started() {
        write("running", null, null, null, null, "started");
    }

    public void succeeded(RowAccounting rows, Long tracesVersion, String policyUri, String message) {
        write("succeeded", Timestamp.from(Instant.now()), tracesVersion, rows, policyUri, message);
    }

    public void failed(Throwable error) {
        write("failed", Timestamp.from(Instant.now()), null, null, null, String.valueOf(error.getMessage()));
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
