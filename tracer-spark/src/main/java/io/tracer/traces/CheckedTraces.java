package io.tracer.traces;

import io.tracer.Columns;
import io.tracer.embed.EncoderInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Optional;

/**
 * A trace table read, mapped to the canonical columns and judged, before anything is written or
 * refused: every row, with {@link Columns#REASON} null when valid and the
 * {@link QuarantineReason} otherwise ({@link TraceLoader#check}). What {@code tracer scan} reads;
 * {@link TraceLoader#load} goes on from here to quarantine the bad rows and enforce the limits.
 *
 * @param format       the format the table was read as
 * @param checked      every row, lazily (not cached): canonical columns, source file and line, and the reason
 * @param columns      which source columns were used
 * @param encoder      the encoder recorded on the source's embedding column, if it had one
 * @param deltaVersion the Delta version read, when the source is a Delta table
 */
public record CheckedTraces(TraceFormat format, Dataset<Row> checked, ResolvedColumns columns, Optional<EncoderInfo> encoder,
                            Optional<Long> deltaVersion) {

    /**
     * Appends the refused rows to the quarantine table ({@code quarantine}: a Delta table URI or
     * a backtick-quoted catalog name), as a load does; idempotent per (run id, source).
     */
    public void writeQuarantine(String quarantine, String runId, String sourceUri) {
        Quarantine.append(checked, quarantine, runId, sourceUri);
    }
}
