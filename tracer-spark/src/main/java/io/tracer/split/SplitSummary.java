package io.tracer.split;

import io.tracer.config.TracerConfig;

/**
 * Provenance of one split: the seeds and shares it was made with and what came out.
 *
 * @param rootSeed           the run's root seed
 * @param seed               the split seed derived from it (stage {@value SplitAssigner#SEED_STAGE})
 * @param shares             configured shares and the stratification threshold
 * @param trainRows          rows assigned to train
 * @param selectionRows      rows assigned to selection
 * @param calibrationRows    rows assigned to calibration
 * @param stratifiedLabels   labels with at least {@code shares.minStratifiedRows()} rows, split by rank
 * @param unstratifiedLabels rarer labels, split by the plain hash
 */
public record SplitSummary(long rootSeed, long seed, TracerConfig.Split shares,
                           long trainRows, long selectionRows, long calibrationRows,
                           int stratifiedLabels, int unstratifiedLabels) {
    public long totalRows() {
        return trainRows + selectionRows + calibrationRows;
    }
}
