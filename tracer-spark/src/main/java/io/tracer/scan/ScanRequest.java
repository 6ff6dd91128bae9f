package io.tracer.scan;

import io.tracer.traces.TraceSource;

/**
 * What {@code tracer scan} reads and how.
 *
 * @param traces          the trace table
 * @param runId           the scan's run id (its scans row and report page)
 * @param writeQuarantine also write the rows a fit would refuse to the quarantine table (off by
 *                        default: a scan is a look, not a load)
 */
public record ScanRequest(TraceSource traces, String runId, boolean writeQuarantine) {}
