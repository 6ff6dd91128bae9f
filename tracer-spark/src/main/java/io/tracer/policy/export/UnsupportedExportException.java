package io.tracer.policy.export;

import io.tracer.TracerException;

/** A model the portable export cannot represent exactly; the message names it and why. */
public final class UnsupportedExportException extends TracerException {
    public UnsupportedExportException(String message) {
        super(message);
    }
}
