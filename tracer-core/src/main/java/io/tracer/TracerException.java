package io.tracer;

/** A runtime failure of a job (exit code 1). */
public class TracerException extends RuntimeException {
    public TracerException(String message) { super(message); }
    public TracerException(String message, Throwable cause) { super(message, cause); }
}
