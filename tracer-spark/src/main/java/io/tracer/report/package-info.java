/**
 * What people read about a run. {@link io.tracer.report.FitSummary} is the text a fit ends with;
 * {@link io.tracer.report.ReportWriter} writes the qualitative report: the {@code slices},
 * {@code boundary_pairs} and {@code examples} Delta tables, computed in DataFrames from the
 * calibration rows as the deployed policy routes them ({@link io.tracer.report.RoutedCalibration}),
 * and a self-contained HTML page ({@link io.tracer.report.HtmlReport}, ECharts inlined, no network)
 * rendered from the run's rows in the metric tables ({@link io.tracer.report.ReportModel}).
 */
package io.tracer.report;
