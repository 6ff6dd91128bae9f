package io.tracer.traces;

import io.tracer.embed.EncoderInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Map;
import java.util.Optional;

/**
 * A validated trace table. {@code readCount == validCount + sum(quarantinedByReason)}.
 *
 * @param valid               canonical columns of {@link io.tracer.Columns}, persisted (MEMORY_AND_DISK);
 *                            call {@code valid.unpersist()} when done with it
 * @param quarantinedByReason rows sent to quarantine, per {@link QuarantineReason}, in reason order
 * @param encoder             the encoder recorded on the source's embedding column, if it had one
 * @param columns             which source columns were used
 * @param deltaVersion        the Delta version read, when the source is a Delta table
 */
public record LoadedTraces(Dataset<Row> valid, long readCount, long validCount,
                           Map<String, Long> quarantinedByReason, Optional<EncoderInfo> encoder,
                           ResolvedColumns columns, Optional<Long> deltaVersion) {
    public LoadedTraces {
        quarantinedByReason = Map.copyOf(quarantinedByReason);
    }

    /** Every row sent to quarantine, duplicates included: {@code readCount - validCount}. */
    public long quarantinedCount() {
        return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows dropped because another row with the same trace id was kept (reason duplicate_trace_id). */
    public long duplicateCount() {
        return quarantinedByReason.getOrDefault(QuarantineReason.DUPLICATE_TRACE_ID, 0L);
    }

    /** Rows refused as invalid: quarantined for any reason but a duplicate trace id. */
    public long invalidCount() {
        return quarantinedCount() - duplicateCount();
    }
}
