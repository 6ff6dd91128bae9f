package io.tracer.policy;

/**
 * A policy version being written: a fresh directory nobody reads yet. Write the models under
 * {@link #uri()} (for example {@code staged.resolve("stage0/surrogate")}), then hand it to
 * {@link PolicyStore#publish}.
 *
 * @param versionId the directory name under {@code versions/}: the run id, suffixed when that run
 *                  id was staged before (a published version is never rewritten)
 * @param runId     the run that produced it
 * @param uri       the version directory as a Hadoop URI, without a trailing slash
 */
public record StagedVersion(String versionId, String runId, String uri) {
    /** The URI of {@code relativePath} inside this version directory. */
    public String resolve(String relativePath) {
        return uri + "/" + relativePath;
    }
}
