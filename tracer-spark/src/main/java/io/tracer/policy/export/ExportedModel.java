package io.tracer.policy.export;

import java.util.Map;

/**
 * A model turned into the portable form: its JSON section and any native files that go beside
 * {@code portable.json} (file name to writer).
 */
record ExportedModel(Map<String, Object> json, Map<String, NativeFile> files) {

    /** Writes a native model file into an open stream. */
    @FunctionalInterface
    interface NativeFile {
        void write(java.io.OutputStream out) throws Exception;
    }
}
