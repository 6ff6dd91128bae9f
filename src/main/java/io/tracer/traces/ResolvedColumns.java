package io.tracer.traces;

import java.util.Optional;

/**
 * Which of the source table's columns became which canonical column. The input and teacher
 * are required; the others are used when present.
 */
public record ResolvedColumns(String input, String teacher, Optional<String> traceId,
                              Optional<String> timestamp, Optional<String> groundTruth,
                              Optional<String> embedding) {

    /** One line for the log: canonical=source pairs, "-" for absent ones. */
    public String describe() {
        return "input=" + input + ", teacher=" + teacher + ", trace_id=" + traceId.orElse("- (derived from content)")
                + ", ts=" + timestamp.orElse("-") + ", ground_truth=" + groundTruth.orElse("-")
                + ", embedding=" + embedding.orElse("-");
    }
}
