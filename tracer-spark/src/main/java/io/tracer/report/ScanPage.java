package io.tracer.report;

import io.tracer.config.ConfigKeys;
import io.tracer.lakehouse.MetricRows.Estimate;
import io.tracer.lakehouse.MetricRows.ScanRow;

import java.util.Locale;
import java.util.Map;

import static io.tracer.report.HtmlReport.esc;
import static io.tracer.report.HtmlReport.num;

/**
 * The report page of a {@code tracer scan}: one small self-contained HTML page (no script) with the
 * scan's verdict, the estimate per target (labelled as an estimate), the rows, labels with bars,
 * input lengths and embeddings. Rendered from the scans row alone, so {@code tracer report} can
 * render it again from the table.
 */
public final class ScanPage {
    /** Labels drawn as bars; the rest are counted in one line (the table has them all). */
    static final int MAX_LABEL_BARS = 60;

    private ScanPage() {}

    public static String render(ScanRow s) {
        StringBuilder h = new StringBuilder(1 << 14);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>tracer scan ")
                .append(esc(s.runId())).append("</title>\n<style>\n").append(HtmlReport.CSS)
                .append(".bar { background: #1f77b4; height: 12px; display: inline-block; }\n")
                .append(".estimate { border: 2px dashed #d62728; padding: 4px 12px; }\n</style>\n</head>\n<body>\n");
        h.append("<h1>tracer scan: run ").append(esc(s.runId())).append("</h1>\n");
        h.append("<p class=\"meta\">traces <code>").append(esc(s.tracesUri())).append("</code>")
                .append(s.tracesVersion() == null ? "" : " (Delta version " + s.tracesVersion() + ")")
                .append(", scanned ").append(esc(String.valueOf(s.scannedAt()))).append(" in ")
                .append(num(s.seconds(), 1)).append(" s by tracer ").append(esc(s.codeVersion())).append("</p>\n");
        h.append("<p><b>").append(esc(s.message())).append("</b></p>\n");

        h.append("<div class=\"estimate\">\n<h2>ESTIMATE, not a certificate</h2>\n<p class=\"meta\">");
        if (s.surrogate() == null) {
            h.append("No surrogate was fitted.</p>\n");
        } else {
            h.append(esc(s.surrogate())).append(" fitted on ").append(count(s.sampleRows()))
                    .append(" sampled rows, judged on ").append(count(s.heldoutRows()))
                    .append(" held-out rows (agreement ").append(num(s.surrogateAgreement(), 4))
                    .append("), top-1 probability as the gate (with the out-of-distribution gate when " + ConfigKeys.OOD_ENABLED + "), "
                            + "the fit's prediction rule projected to its ")
                    .append(count(s.calibrationRows())).append(" calibration rows at delta ")
                    .append(num(s.delta(), 3)).append(". A fit trains on more rows and picks among more surrogates, "
                            + "gates and families; only a fit certifies.</p>\n");
        }
        h.append("<table>\n<tr><th>target</th><th>estimated coverage</th><th>agreement on handled</th>")
                .append("<th>teacher calls saved per day (of ").append(count(s.dailyVolume())).append(")</th></tr>\n");
        for (Estimate e : s.estimates()) {
            h.append("<tr><td class=\"n\">").append(num(e.target(), 2)).append("</td><td class=\"n\">")
                    .append(num(100 * e.coverage(), 1)).append("%</td><td class=\"n\">").append(num(e.agreement(), 4))
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,.0f", e.callsSavedPerDay()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</div>\n");

        h.append("<h2>Rows</h2>\n<table>\n");
        row(h, "read", count(s.rowsRead()));
        row(h, "valid (what a fit learns from)", count(s.rowsValid()));
        row(h, "invalid", count(s.rowsInvalid()) + " (" + num(100 * s.invalidShare(), 2) + "%"
                + (s.tooManyInvalid() ? ", more than " + ConfigKeys.TRACES_MAX_BAD_SHARE + ": a fit would stop" : "") + ")");
        row(h, "duplicate trace ids", count(s.rowsDuplicates()) + " (" + num(100 * s.duplicateShare(), 2) + "%)");
        for (Map.Entry<String, Long> e : s.quarantineByReason().entrySet()) {
            row(h, "&nbsp;&nbsp;" + esc(e.getKey()), count(e.getValue()));
        }
        row(h, "quarantine written", s.quarantineWritten() ? "yes" : "no (tracer scan --write-quarantine)");
        h.append("</table>\n");

        h.append("<h2>Labels</h2>\n<p class=\"meta\">").append(s.labels()).append(" labels; ")
                .append(s.headLabels()).append(" hold 80% of the valid rows; the long tail: ").append(s.tailLabels())
                .append(" labels with fewer than ").append(s.tailRows()).append(" rows, ")
                .append(num(100 * s.tailShare(), 2)).append("% of the rows.</p>\n<table>\n")
                .append("<tr><th>label</th><th>rows</th><th>share</th><th></th></tr>\n");
        long largest = s.labelCounts().values().stream().mapToLong(Long::longValue).max().orElse(1);
        int shown = 0;
        for (Map.Entry<String, Long> e : s.labelCounts().entrySet()) {
            if (shown++ == MAX_LABEL_BARS) {
                h.append("<tr><td colspan=\"4\">").append(s.labelCounts().size() - MAX_LABEL_BARS)
                        .append(" more labels (scans.label_counts has them all)</td></tr>\n");
                break;
            }
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"n\">").append(count(e.getValue()))
                    .append("</td><td class=\"n\">").append(num(100.0 * e.getValue() / Math.max(1, s.rowsValid()), 2))
                    .append("%</td><td><span class=\"bar\" style=\"width:")
                    .append(Math.max(1, Math.round(300.0 * e.getValue() / largest))).append("px\"></span></td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Inputs and embeddings</h2>\n<table>\n");
        row(h, "input length (characters)", "min " + s.inputCharsMin() + ", median " + s.inputCharsP50() + ", p90 "
                + s.inputCharsP90() + ", p99 " + s.inputCharsP99() + ", max " + s.inputCharsMax() + ", mean "
                + num(s.inputCharsMean(), 1));
        if (s.embeddingColumn() != null) {
            row(h, "embeddings", "column <code>" + esc(s.embeddingColumn()) + "</code>, " + s.embeddingDim() + "-d"
                    + (s.encoder() == null ? "" : ", " + esc(s.encoder())) + ": a fit embeds nothing");
        } else {
            row(h, "embeddings", "none: a fit embeds " + count(s.textsToEmbed()) + " distinct texts with "
                    + esc(s.encoder()) + (s.embedSecondsEstimate() == null ? ""
                    : ", about " + duration(s.embedSecondsEstimate()) + " at the measured "
                    + num(s.encoderTextsPerSecond(), 0) + " texts/s (fewer with the embedding cache)"));
        }
        h.append("</table>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Seconds as "42 s", "7.5 min" or "3.2 h". */
    public static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(name).append("</th><td>").append(value).append("</td></tr>\n");
    }

    private static String count(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }
}
