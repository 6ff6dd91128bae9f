package io.tracer.scan;

import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.MetricRows.Estimate;
import io.tracer.lakehouse.MetricRows.ScanRow;
import io.tracer.report.ScanPage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code tracer scan} prints: the scans row for a person, the estimate marked as one. */
public final class ScanSummary {
    /** Labels printed at each end of the count list. */
    static final int LABELS_SHOWN = 5;

    private ScanSummary() {}

    /** @param note why there is no estimate, or null */
    public static String text(ScanRow s, TracerConfig config, String note) {
        StringBuilder out = new StringBuilder();
        line(out, "tracer scan of %s (run %s): %.1f s", s.tracesUri(), s.runId(), s.seconds());
        line(out, "rows        read %s: valid %s, invalid %s (%.2f%%; %s %.2f%%%s), duplicate trace ids %s (%.2f%%)",
                n(s.rowsRead()), n(s.rowsValid()), n(s.rowsInvalid()), 100 * s.invalidShare(),
                ConfigKeys.TRACES_MAX_BAD_SHARE, 100 * config.traces().maxBadShare(),
                s.tooManyInvalid() ? ": A FIT WOULD STOP" : "", n(s.rowsDuplicates()), 100 * s.duplicateShare());
        if (!s.quarantineByReason().isEmpty()) {
            List<String> reasons = new ArrayList<>();
            s.quarantineByReason().forEach((k, v) -> reasons.add(k + " " + n(v)));
            line(out, "            by reason: %s; %s", String.join(", ", reasons), s.quarantineWritten()
                    ? "written to the quarantine table" : "not written (--write-quarantine writes them)");
        }
        line(out, "labels      %d; largest: %s", s.labels(), labels(s, true));
        if (s.labels() > LABELS_SHOWN) {
            line(out, "            smallest: %s", labels(s, false));
        }
        line(out, "            long tail: %d labels with fewer than %d rows hold %.2f%% of the valid rows; "
                + "%d labels hold 80%%", s.tailLabels(), s.tailRows(), 100 * s.tailShare(), s.headLabels());
        line(out, "inputs      characters: min %s, median %s, p90 %s, p99 %s, max %s, mean %s", s.inputCharsMin(),
                s.inputCharsP50(), s.inputCharsP90(), s.inputCharsP99(), s.inputCharsMax(),
                s.inputCharsMean() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.inputCharsMean()));
        if (s.embeddingColumn() != null) {
            line(out, "embeddings  column %s, %s-d%s: a fit embeds nothing", s.embeddingColumn(), s.embeddingDim(),
                    s.encoder() == null ? " (no encoder recorded)" : " (" + s.encoder() + ")");
        } else if (s.embedSecondsEstimate() != null) {
            line(out, "embeddings  none: a fit embeds %s distinct texts with %s, about %s at the %s texts/s "
                            + "measured here (fewer with texts in the embedding cache)", n(s.textsToEmbed()),
                    s.encoder(), ScanPage.duration(s.embedSecondsEstimate()),
                    String.format(Locale.ROOT, "%.0f", s.encoderTextsPerSecond()));
        } else {
            line(out, "embeddings  none: a fit embeds %s distinct texts with %s (speed not measured)",
                    n(s.textsToEmbed()), s.encoder());
        }
        if (s.surrogate() == null) {
            line(out, "ESTIMATE    none: %s", note == null ? "no surrogate fitted" : note);
        } else {
            line(out, "ESTIMATE    not a certificate: %s fitted on %s sampled rows, judged on %s held-out rows "
                            + "(agreement %.4f), top-1 probability as the gate (and the OOD gate when on), projected to the %s calibration rows "
                            + "of a fit of this table at delta %s:", s.surrogate(), n(s.sampleRows()),
                    n(s.heldoutRows()), s.surrogateAgreement(), n(s.calibrationRows()), s.delta());
            line(out, "            %-8s %-20s %-12s %s", "target", "estimated coverage", "agreement",
                    "teacher calls saved per day (of " + n(s.dailyVolume()) + ")");
            for (Estimate e : s.estimates()) {
                line(out, "            %-8s %-20s %-12s %s", String.format(Locale.ROOT, "%.2f", e.target()),
                        String.format(Locale.ROOT, "%.1f%%", 100 * e.coverage()),
                        e.agreement() == null ? "-" : String.format(Locale.ROOT, "%.4f", e.agreement()),
                        String.format(Locale.ROOT, "%,.0f", e.callsSavedPerDay()));
            }
        }
        line(out, "verdict     %s", s.message());
        return out.toString();
    }

    private static String labels(ScanRow s, boolean largest) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(s.labelCounts().entrySet());
        List<Map.Entry<String, Long>> pick = largest ? all.subList(0, Math.min(LABELS_SHOWN, all.size()))
                : all.subList(Math.max(0, all.size() - LABELS_SHOWN), all.size());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : pick) {
            out.add(String.format(Locale.ROOT, "%s %s (%.1f%%)", e.getKey(), n(e.getValue()),
                    100.0 * e.getValue() / Math.max(1, s.rowsValid())));
        }
        return String.join(", ", out);
    }

    private static String n(Long v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
