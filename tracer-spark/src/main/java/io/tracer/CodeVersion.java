package io.tracer;

/** The tracer version that ran, from the jar manifest ("dev" when run from classes). */
public final class CodeVersion {
    private CodeVersion() {}

    public static String get() {
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
