package io.tracer.update;

/**
 * What one merge did to the trace history.
 *
 * @param offered        valid new rows offered to the merge (one per trace id)
 * @param inserted       of those, rows whose trace id was not in the history yet
 * @param alreadyPresent of those, rows whose trace id was already there (the stored row is kept)
 * @param historyRows    rows in the history after the merge
 * @param deltaVersion   the Delta version the merge committed
 * @param created        true when this merge created the history table
 */
public record MergeResult(long offered, long inserted, long alreadyPresent, long historyRows, long deltaVersion,
                          boolean created) {

    public String describe() {
        return "merged " + offered + " new traces into the history: " + inserted + " added, " + alreadyPresent
                + " already there; history now " + historyRows + " traces (Delta version " + deltaVersion + ")";
    }
}
