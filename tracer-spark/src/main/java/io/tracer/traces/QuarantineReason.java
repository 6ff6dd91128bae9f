package io.tracer.traces;

/**
 * Why a row went to quarantine. A row gets the first reason that applies, in the order
 * below, so a malformed JSON line is reported as such and not also as a missing input.
 */
public final class QuarantineReason {
    private QuarantineReason() {}

    public static final String MALFORMED_JSON = "malformed_json";
    public static final String MALFORMED_CSV = "malformed_csv";
    public static final String MISSING_INPUT = "missing_input";
    public static final String MISSING_TEACHER = "missing_teacher";
    /**
     * The input or teacher text holds U+FFFD, the replacement character a UTF-8 decoder puts
     * where the file's bytes were not UTF-8 (a Latin-1 or Windows-1252 export): the text read is
     * not the text logged.
     */
    public static final String INVALID_ENCODING = "invalid_encoding";
    public static final String INVALID_TIMESTAMP = "invalid_timestamp";
    /** The table has an embedding column but this row's vector is null or unparseable. */
    public static final String MISSING_EMBEDDING = "missing_embedding";
    /** NaN, +-Inf or a null element in the embedding. */
    public static final String NONFINITE_EMBEDDING = "nonfinite_embedding";
    /** Embedding width differs from the encoder's (or the table's majority) dimension. */
    public static final String EMBEDDING_WIDTH = "embedding_width";
    /** Another row with the same trace id was kept (see tracer.traces.duplicates). */
    public static final String DUPLICATE_TRACE_ID = "duplicate_trace_id";
}
