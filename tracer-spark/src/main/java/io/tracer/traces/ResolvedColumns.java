package io.tracer.traces;

import java.util.Optional;

/**
 * Which of the source table's columns became which canonical column. The input is required; so
 * is the teacher when loading traces to fit ({@code teacher} is null only for a routing input
 * without one, see {@link LoadOptions#requireTeacher()}); the others are used when present.
 */
public record ResolvedColumns(String input, String teacher, Optional<String> traceId,
                              Optional<String> timestamp, Optional<String> groundTruth,
                              Optional<String> embedding) {

    /** One line for the log: canonical=source pairs, "-" for absent ones. */
    public String describe() {
        return "input=" + input + ", teacher=" + (teacher == null ? "-" : teacher) + ", trace_id=" + traceId.orElse("- (derived from content)")
                + ", ts=" + timestamp.orElse("-") + ", ground_truth=" + groundTruth.orElse("-")
                + ", embedding=" + embedding.orElse("-");
    }
}
