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

    public long quarantinedCount() {
        return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
