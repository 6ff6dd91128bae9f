package io.tracer.fit;

/**
 * Where every trace row read by a fit went: refused as invalid, dropped as a duplicate trace
 * id (both to the quarantine table with the reason), or into one of the three splits. Nothing
 * else happens to a row, so {@code read == invalid + duplicates + train + selection +
 * calibration}; the runs table records each term, and a fit that cannot account for its rows
 * fails instead of publishing.
 */
public record RowAccounting(long read, long invalid, long duplicates, long train, long selection, long calibration) {
    public RowAccounting {
        if (read != invalid + duplicates + train + selection + calibration) {
            throw new IllegalStateException("rows do not add up: read " + read + " != invalid " + invalid
                    + " + duplicates " + duplicates + " + train " + train + " + selection " + selection
                    + " + calibration " + calibration);
        }
    }

    /** Rows that passed validation and duplicate resolution: the three splits together. */
    public long valid() {
        return train + selection + calibration;
    }
}
