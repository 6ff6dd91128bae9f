/**
 * Trace tables in: readers for JSONL, CSV, Parquet, Delta and catalog tables
 * ({@link io.tracer.traces.TraceFormat}), column aliases ({@link io.tracer.traces.ColumnResolver}),
 * validation with a quarantine ({@link io.tracer.traces.TraceValidator},
 * {@link io.tracer.traces.Quarantine}), stable content-derived trace ids, and the loader that
 * ties them together ({@link io.tracer.traces.TraceLoader}). Everything leaving this package
 * uses the canonical names of {@link io.tracer.Columns}.
 */
package io.tracer.traces;
