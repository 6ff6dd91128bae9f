package io.tracer.traces;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Optional;

/**
 * A trace table as read, before aliases and validation: the user's columns plus the reader's
 * own ({@link TraceReader#SOURCE_FILE}, {@link TraceReader#SOURCE_LINE} and, for text formats,
 * {@link TraceReader#CORRUPT}).
 *
 * @param data          the rows
 * @param dataColumns   the user's columns, in table order
 * @param corruptReason the quarantine reason for rows whose {@link TraceReader#CORRUPT} is set, if the format has one
 * @param raw           the row's original content as text, for the quarantine
 * @param deltaVersion  the Delta table version read, when the source is a Delta table
 */
record RawTraces(Dataset<Row> data, List<String> dataColumns, Optional<String> corruptReason, Column raw,
                 Optional<Long> deltaVersion) {

    RawTraces withDeltaVersion(long version) {
        return new RawTraces(data, dataColumns, corruptReason, raw, Optional.of(version));
    }
}
