package io.tracer.lakehouse;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * Typed rows of the metric tables written from the driver (small: one per run, target or
 * candidate). Each record's components are its table's columns in order ({@link TableRows});
 * docs/tables.md describes them.
 */
public final class MetricRows {
    private MetricRows() {}

    public record RunRow(String runId, String parentRunId, Timestamp startedAt, Timestamp finishedAt, String status,
                         String command, String tracesUri, Long tracesVersion, Long rowsRead, Long rowsValid,
                         Long rowsQuarantined, Long rowsDuplicates, Long rowsTrain, Long rowsSelection,
                         Long rowsCalibration, Long seed, String config, String codeVersion, String policyUri,
                         String message) {}

    public record FrontierRow(String runId, double target, double delta, String family, String surrogate,
                              String gate, boolean selected, boolean certified, Double threshold,
                              double coverageCal, Double agreementCal, Double agreementLower, Double pValue,
                              long accepted, long agreeing, long calibrationRows, double coverageSelection,
                              String reason, Boolean standalonePass, String sequenceRole) {}

    public record CandidateRow(String runId, String kind, String name, int stage, String phase, Integer rung,
                               Long trainRows, Long evalRows, String metric, List<Double> foldScores, Double mean,
                               Double std, Double accuracy, Double macroF1, Double aucSelection, Double fitSeconds,
                               Integer iterations, Boolean converged, boolean selected) {}

    public record LabelCoverageRow(String runId, double target, String label, long rows, long handled,
                                   double handledShare, long agreeing, Double agreementOnHandled) {}

    public record HistoryRow(String runId, String versionId, String previousVersionId, Timestamp publishedAt,
                             String policyUri, boolean madeCurrent, String method, double target, boolean certified,
                             String reason) {}

    /** One row of the scans table ({@code tracer scan}). */
    public record ScanRow(String runId, Timestamp scannedAt, String tracesUri, Long tracesVersion, long rowsRead,
                          long rowsInvalid, long rowsDuplicates, long rowsValid, double invalidShare,
                          boolean tooManyInvalid, Map<String, Long> quarantineByReason, boolean quarantineWritten,
                          double duplicateShare, int labels, Map<String, Long> labelCounts, int tailRows,
                          int tailLabels, double tailShare, int headLabels, Integer inputCharsMin,
                          Integer inputCharsP50, Integer inputCharsP90, Integer inputCharsP99, Integer inputCharsMax,
                          Double inputCharsMean, String embeddingColumn, Integer embeddingDim, String encoder,
                          long textsToEmbed, Double encoderTextsPerSecond, Double embedSecondsEstimate,
                          String surrogate, Long sampleRows, Long heldoutRows, Double surrogateAgreement,
                          long calibrationRows, double delta, List<Estimate> estimates, long dailyVolume,
                          double seconds, String codeVersion, String message) {}

    /**
     * One element of {@code scans.estimates}: at {@code target}, the coverage a fit could certify
     * and the agreement on what it handles, as the scan estimates them (not a certificate).
     */
    public record Estimate(double target, double coverage, Double agreement, double callsSavedPerDay) {}
}
