package io.tracer.policy;

/**
 * A complete policy version as read from the store.
 *
 * @param versionId the directory name under {@code versions/}
 * @param uri       the version directory as a Hadoop URI, without a trailing slash
 * @param manifest  its manifest; model paths in it are relative to {@code uri}
 */
public record LoadedPolicy(String versionId, String uri, PolicyManifest manifest) {
    /** The URI of a path the manifest names (e.g. a stage's surrogate_path). */
    public String resolve(String relativePath) {
        return uri + "/" + relativePath;
    }
}
