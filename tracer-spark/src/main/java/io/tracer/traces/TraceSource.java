package io.tracer.traces;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a trace table lives and how to read it. Empty optionals fall back to the
 * {@code tracer.traces} config (format auto, columns picked from the aliases).
 *
 * @param uri        a Hadoop URI (file, directory or glob), or a catalog table name for format {@code table}
 * @param format     auto, jsonl, csv, parquet, delta or table
 * @param inputCol   the input text column, overriding the aliases
 * @param teacherCol the teacher label column, overriding the aliases
 */
public record TraceSource(String uri, Optional<String> format, Optional<String> inputCol,
                          Optional<String> teacherCol) {
    public TraceSource {
        Objects.requireNonNull(uri, "uri");
        format = blankToEmpty(format);
        inputCol = blankToEmpty(inputCol);
        teacherCol = blankToEmpty(teacherCol);
    }

    public static TraceSource of(String uri) {
        return new TraceSource(uri, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public TraceSource withFormat(String f) {
        return new TraceSource(uri, Optional.ofNullable(f), inputCol, teacherCol);
    }

    public TraceSource withColumns(String input, String teacher) {
        return new TraceSource(uri, format, Optional.ofNullable(input), Optional.ofNullable(teacher));
    }

    private static Optional<String> blankToEmpty(Optional<String> o) {
        return o == null ? Optional.empty() : o.filter(s -> !s.isBlank()).map(String::trim);
    }
}
