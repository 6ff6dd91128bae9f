package io.tracer.update;

import io.tracer.traces.TraceSource;

import java.util.Objects;

/**
 * What one {@code tracer update} is asked to do.
 *
 * @param newTraces    the traces to add, read and validated like a fit's
 * @param historyUri   the trace history Delta table (created on the first update)
 * @param runId        this run's id
 * @param publish      false computes and writes the tables but publishes no policy
 */
public record UpdateRequest(TraceSource newTraces, String historyUri, String runId, boolean publish) {
    public UpdateRequest {
        Objects.requireNonNull(newTraces, "newTraces");
        Objects.requireNonNull(historyUri, "historyUri");
        Objects.requireNonNull(runId, "runId");
    }
}
