package io.tracer.cli;

import io.tracer.traces.TraceSource;
import picocli.CommandLine.Option;

import java.util.Optional;

/** Where traces come from and how to read them. */
public final class TraceOptions {
    @Option(names = "--traces", required = true, paramLabel = "URI",
            description = "Trace table: a file or folder URI (JSONL, CSV, Parquet, Delta) or, with --format table, a catalog table name.")
    String traces;

    @Option(names = "--format", description = "auto (default: from the path), jsonl, csv, parquet, delta or table.")
    String format;

    @Option(names = "--input-col", paramLabel = "COL", description = "Input text column (default: first alias found).")
    String inputCol;

    @Option(names = "--teacher-col", paramLabel = "COL", description = "Teacher label column (default: first alias found).")
    String teacherCol;

    TraceSource source() {
        return new TraceSource(traces, Optional.ofNullable(format), Optional.ofNullable(inputCol),
                Optional.ofNullable(teacherCol));
    }
}
