package io.tracer.report;

import io.tracer.certify.TargetOutcome;
import io.tracer.zoo.LabelIndex;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the report reads of a fit: the deploy target's outcome, the label space, and the
 * calibration rows as the score stage left them (predicted, gate-scored, OOD-flagged; with
 * trace_id, input, teacher, features). Defined here, below the fit, so the report never
 * depends on the fit package.
 */
public record ReportInput(String runId, TargetOutcome deployed, LabelIndex labels, Dataset<Row> calibration) {}
