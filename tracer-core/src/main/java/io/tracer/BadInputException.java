package io.tracer;

/**
 * The user's input or configuration is wrong (exit code 2): the message names the row,
 * column or key and the reason, so the user can fix it without reading a stack trace.
 */
public class BadInputException extends TracerException {
    public BadInputException(String message) { super(message); }
    public BadInputException(String message, Throwable cause) { super(message, cause); }
}
