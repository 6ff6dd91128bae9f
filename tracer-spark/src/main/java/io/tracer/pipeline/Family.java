package io.tracer.pipeline;

import java.util.Locale;

/** The pipeline families, and NONE for the policy that defers everything. */
public enum Family {
    GLOBAL, L2D, RSB, NONE;

    /** Lower-case name as written in configs, tables and the manifest. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Family of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
