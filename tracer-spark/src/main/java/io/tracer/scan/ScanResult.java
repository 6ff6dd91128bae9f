package io.tracer.scan;

import io.tracer.lakehouse.MetricRows.ScanRow;

/**
 * A scan's outcome: its scans row, the page that shows it, and the text {@code tracer scan}
 * prints.
 */
public record ScanResult(ScanRow row, String reportUri, String summary) {}
