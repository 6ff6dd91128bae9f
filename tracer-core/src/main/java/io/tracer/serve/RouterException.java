package io.tracer.serve;

import io.tracer.TracerException;

/** A policy the router cannot load or run (missing portable export, unsupported model, I/O). */
public final class RouterException extends TracerException {
    public RouterException(String message) {
        super(message);
    }

    public RouterException(String message, Throwable cause) {
        super(message, cause);
    }
}
