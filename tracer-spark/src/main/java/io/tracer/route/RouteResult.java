package io.tracer.route;

import java.util.Map;

/**
 * What a routing run wrote.
 *
 * @param deferredByReason deferred rows per reason code
 * @param seconds          wall time of routing and writing (loading counted apart in {@code loadSeconds})
 */
public record RouteResult(String runId, String policyVersion, String output, long readRows, long quarantined,
                          long rows, long handled, Map<String, Long> deferredByReason, double loadSeconds,
                          double seconds) {
    public double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }

    public double coverage() {
        return rows == 0 ? 0 : (double) handled / rows;
    }
}
