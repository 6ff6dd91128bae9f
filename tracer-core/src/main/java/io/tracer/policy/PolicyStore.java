package io.tracer.policy;

import io.tracer.BadInputException;
import io.tracer.TracerException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Publishes policy versions under a policy root so that a reader always sees a complete policy:
 * the previous one or the new one, never a partial one, even when the job dies mid-write and
 * even on object stores where rename is a copy.
 *
 * <p>How: every version gets its own new directory {@code versions/<version id>/}; the models go
 * in first and {@code manifest.json} last, so a directory without a manifest is incomplete and
 * ignored. Then {@code CURRENT} (a tiny JSON naming the version and the one it replaced) is
 * replaced in one atomic step (see {@link AtomicFiles}). Nothing a reader can reach is ever
 * modified in place: a published version directory is never written again.
 *
 * <p>Only Hadoop FileSystem calls, no Spark: the Spark-free router can use it to load a policy.
 * Concurrent publishers are not coordinated: the last {@code CURRENT} write wins, and each
 * candidate it could name is complete.
 */
public final class PolicyStore {
    public static final String VERSIONS_DIR = "versions";
    public static final String MANIFEST_FILE = "manifest.json";
    public static final String CURRENT_FILE = "CURRENT";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);
    /** Safe as a directory name on every store and inside a Delta replaceWhere string. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int POINTER_READ_ATTEMPTS = 5;
    private static final long POINTER_RETRY_MILLIS = 100;

    private final Path root;
    private final AtomicFiles files;

    /**
     * @param policyRootUri a Hadoop URI (file:, hdfs:, s3a:, abfss:, ...); created on first publish
     * @param hadoopConf    the Hadoop configuration (a Spark job passes {@code spark.sparkContext().hadoopConfiguration()})
     */
    public PolicyStore(String policyRootUri, Configuration hadoopConf) {
        this(policyRootUri, hadoopConf, null);
    }

    /** Forces a write strategy; tests use it to exercise each one on the local disk. */
    PolicyStore(String policyRootUri, Configuration hadoopConf, AtomicFiles.Strategy strategy) {
        try {
            Path p = new Path(policyRootUri);
            this.root = p.getFileSystem(hadoopConf).makeQualified(p);
            this.files = new AtomicFiles(hadoopConf, strategy != null ? strategy : AtomicFiles.strategyFor(root, hadoopConf));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("policy root " + policyRootUri + " is not a valid Hadoop URI: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TracerException("cannot open the file system of policy root " + policyRootUri + ": " + e, e);
        }
        LOG.debug("policy store at {} ({} writes)", root, files.strategy());
    }

    /** The policy root, qualified. */
    public String rootUri() {
        return root.toString();
    }

    /**
     * Creates a fresh, empty version directory for {@code runId}. Nobody reads it until it is
     * published. When the run id was staged before (a retried run), the directory gets a suffix
     * ({@code <runId>.2}, ...), because a published version must never be rewritten.
     */
    public StagedVersion stage(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new BadInputException("run id '" + runId + "' cannot name a policy version: use 1-128 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
        try {
            Path versions = new Path(root, VERSIONS_DIR);
            FileSystem fs = files.fileSystem(versions);
            String versionId = runId;
            for (int n = 2; fs.exists(new Path(versions, versionId)); n++) {
                versionId = runId + "." + n;
            }
            Path dir = new Path(versions, versionId);
            if (!fs.mkdirs(dir)) {
                throw new TracerException("cannot create policy version directory " + dir);
            }
            LOG.debug("staged policy version {} at {}", versionId, dir);
            return new StagedVersion(versionId, runId, dir.toString());
        } catch (IOException e) {
            throw new TracerException("cannot stage a policy version for run " + runId + " under " + root + ": " + e, e);
        }
    }

    /** Writes the manifest and makes the version current. */
    public LoadedPolicy publish(StagedVersion staged, PolicyManifest manifest) {
        return publish(staged, manifest, true);
    }

    /**
     * Completes a staged version by writing its manifest (after checking every model path it
     * names exists), then, when {@code makeCurrent}, flips {@code CURRENT} to it. With
     * {@code makeCurrent} false the version is complete and listed by {@link #versions()} but
     * not served; {@link #promote(String)} can make it current later.
     */
    public LoadedPolicy publish(StagedVersion staged, PolicyManifest manifest, boolean makeCurrent) {
        if (!staged.runId().equals(manifest.runId())) {
            throw new TracerException("manifest run id " + manifest.runId() + " does not match the staged version's run id "
                    + staged.runId());
        }
        Path dir = versionPath(staged.versionId());
        Path manifestPath = new Path(dir, MANIFEST_FILE);
        try {
            if (!files.exists(dir)) {
                throw new TracerException("staged policy version " + dir + " does not exist; call stage() first");
            }
            if (files.exists(manifestPath)) {
                throw new TracerException("policy version " + staged.versionId() + " is already published; "
                        + "stage a new version instead of rewriting a published one");
            }
            requireModelsPresent(dir, manifest);
            files.write(manifestPath, manifest.toJson(), false);
            LOG.info("wrote policy manifest {} (method {}, target {})", manifestPath,
                    manifest.method().name().toLowerCase(), manifest.target());
        } catch (IOException e) {
            throw new TracerException("cannot write policy manifest " + manifestPath + ": " + e, e);
        }
        LoadedPolicy loaded = new LoadedPolicy(staged.versionId(), dir.toString(), manifest);
        if (makeCurrent) {
            flipCurrent(staged.versionId());
        }
        return loaded;
    }

    /**
     * Makes an already published version current (also how to roll back to an older version).
     * Refuses an incomplete version.
     */
    public LoadedPolicy promote(String versionId) {
        LoadedPolicy policy = loadVersion(versionId);
        flipCurrent(versionId);
        return policy;
    }

    /** The current policy, or empty when nothing was ever made current. */
    public Optional<LoadedPolicy> current() {
        return readPointer().map(p -> loadPointed(p.version()));
    }

    /** The policy that was current before the current one, when there was one. */
    public Optional<LoadedPolicy> previous() {
        return readPointer().filter(p -> p.previous() != null).map(p -> loadPointed(p.previous()));
    }

    /** The id of the current version, without loading its manifest. */
    public Optional<String> currentVersionId() {
        return readPointer().map(CurrentPointer::version);
    }

    /** Loads the complete version under {@code versions/<versionId>}. */
    public LoadedPolicy loadVersion(String versionId) {
        return load(versionPath(versionId).toString());
    }

    /**
     * Loads a complete version from its directory URI (as in {@link LoadedPolicy#uri()}).
     *
     * @throws BadInputException when the directory has no manifest (incomplete or not a policy)
     *                           or the manifest cannot be read
     */
    public LoadedPolicy load(String versionUri) {
        Path dir = new Path(versionUri);
        Path manifestPath = new Path(dir, MANIFEST_FILE);
        String json;
        try {
            json = files.read(manifestPath);
        } catch (FileNotFoundException e) {
            throw new BadInputException("policy version " + dir + " has no " + MANIFEST_FILE
                    + ": it is incomplete (its publication was interrupted) or not a policy version");
        } catch (IOException e) {
            throw new TracerException("cannot read policy manifest " + manifestPath + ": " + e, e);
        }
        return new LoadedPolicy(dir.getName(), dir.toString(), PolicyManifest.fromJson(json, manifestPath.toString()));
    }

    /**
     * Every complete version, newest first (by manifest created_at, then version id). Incomplete
     * directories are skipped; an unreadable manifest is skipped with a warning.
     */
    public List<LoadedPolicy> versions() {
        Path versions = new Path(root, VERSIONS_DIR);
        List<LoadedPolicy> out = new ArrayList<>();
        try {
            FileSystem fs = files.fileSystem(versions);
            if (!fs.exists(versions)) {
                return out;
            }
            for (FileStatus status : fs.listStatus(versions)) {
                if (!status.isDirectory()) {
                    continue;
                }
                Path dir = status.getPath();
                if (!files.exists(new Path(dir, MANIFEST_FILE))) {
                    LOG.debug("skipping incomplete policy version {}", dir);
                    continue;
                }
                try {
                    out.add(load(dir.toString()));
                } catch (BadInputException e) {
                    LOG.warn("skipping unreadable policy version {}: {}", dir, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new TracerException("cannot list policy versions under " + versions + ": " + e, e);
        }
        out.sort(Comparator.comparing((LoadedPolicy p) -> Instant.parse(p.manifest().createdAt()))
                .thenComparing(LoadedPolicy::versionId).reversed());
        return out;
    }

    private void flipCurrent(String versionId) {
        Path current = new Path(root, CURRENT_FILE);
        String previous;
        try {
            previous = readPointer().map(CurrentPointer::version).filter(v -> !v.equals(versionId)).orElse(null);
        } catch (TracerException e) {
            // Promoting a version is also how a damaged pointer is repaired; the old one is lost.
            LOG.warn("replacing an unreadable {}: {}", current, e.getMessage());
            previous = null;
        }
        CurrentPointer pointer = new CurrentPointer(versionId, previous, Instant.now().toString());
        try {
            files.write(current, pointer.toJson(), true);
        } catch (IOException e) {
            throw new TracerException("cannot update " + current + " to version " + versionId + ": " + e, e);
        }
        LOG.info("policy version {} is now current (previous: {})", versionId, previous);
    }

    private Optional<CurrentPointer> readPointer() {
        Path current = new Path(root, CURRENT_FILE);
        String text = null;
        for (int attempt = 1; attempt <= POINTER_READ_ATTEMPTS; attempt++) {
            try {
                text = files.read(current);
            } catch (FileNotFoundException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new TracerException("cannot read " + current + ": " + e, e);
            }
            CurrentPointer pointer = CurrentPointer.parseOrNull(text);
            if (pointer != null) {
                return Optional.of(pointer);
            }
            // A store that shows a file before its bytes land (ABFS) can show a torn pointer for a moment.
            sleep(POINTER_RETRY_MILLIS * attempt);
        }
        throw new TracerException(current + " does not name a policy version (content: '"
                + abbreviate(text) + "'); repair it with promote(<version id>)");
    }

    private LoadedPolicy loadPointed(String versionId) {
        try {
            return loadVersion(versionId);
        } catch (BadInputException e) {
            throw new TracerException(CURRENT_FILE + " under " + root + " names version " + versionId
                    + " but it cannot be loaded: " + e.getMessage(), e);
        }
    }

    private Path versionPath(String versionId) {
        if (versionId == null || versionId.isBlank() || versionId.contains("/") || versionId.contains("..")) {
            throw new BadInputException("'" + versionId + "' is not a policy version id");
        }
        return new Path(new Path(root, VERSIONS_DIR), versionId);
    }

    private void requireModelsPresent(Path dir, PolicyManifest manifest) throws IOException {
        List<String> missing = new ArrayList<>();
        for (PolicyManifest.Stage stage : manifest.stages()) {
            for (String rel : new String[]{stage.surrogatePath(), stage.gatePath(), stage.portablePath()}) {
                if (rel != null && !files.exists(new Path(dir, rel))) {
                    missing.add(rel);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new TracerException("policy version " + dir + " lacks the model paths its manifest names: "
                    + missing + "; write the models before publishing");
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TracerException("interrupted while reading the policy pointer", e);
        }
    }
}
