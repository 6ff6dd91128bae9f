package io.tracer.policy;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a small file so that a reader sees either the old whole content or the new whole
 * content, never a torn one, on each kind of Hadoop store. The store decides how:
 * <ul>
 *   <li>{@link Strategy#LOCAL_RENAME}: the local file system, through its raw (checksum-free)
 *       layer: write a temp file, then rename(2) over the target, which POSIX makes atomic.
 *       The checksummed layer is avoided because it renames the data file and its .crc in two
 *       steps, and a reader between them would get a checksum error.</li>
 *   <li>{@link Strategy#CONTEXT_RENAME}: HDFS: temp file, then
 *       {@code FileContext.rename(..., OVERWRITE)}, a single atomic NameNode operation.</li>
 *   <li>{@link Strategy#SINGLE_PUT}: object stores (S3A, GCS, ABFS, ...), where rename is a copy
 *       and not atomic: one create/overwrite, which S3 and GCS make visible only when the upload
 *       completes. ABFS creates the file before its bytes arrive, so a reader may briefly see it
 *       empty; {@link PolicyStore} reads pointers with a short retry for that case.</li>
 * </ul>
 */
final class AtomicFiles {
    enum Strategy { LOCAL_RENAME, CONTEXT_RENAME, SINGLE_PUT }

    private static final Set<String> RENAME_SCHEMES = Set.of("hdfs", "viewfs");

    private final Configuration conf;
    private final Strategy strategy;

    AtomicFiles(Configuration conf, Strategy strategy) {
        this.conf = conf;
        this.strategy = strategy;
    }

    /** The strategy that is atomic on the store holding {@code path}. */
    static Strategy strategyFor(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        if (fs instanceof LocalFileSystem || "file".equals(scheme(fs))) {
            return Strategy.LOCAL_RENAME;
        }
        return RENAME_SCHEMES.contains(scheme(fs)) ? Strategy.CONTEXT_RENAME : Strategy.SINGLE_PUT;
    }

    Strategy strategy() {
        return strategy;
    }

    /**
     * Writes {@code text} to {@code target} atomically.
     *
     * @param overwrite false refuses to replace an existing target (a published manifest is immutable)
     */
    void write(Path target, String text, boolean overwrite) throws IOException {
        FileSystem fs = fileSystem(target);
        if (!overwrite && fs.exists(target)) {
            throw new IOException(target + " already exists");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (strategy == Strategy.SINGLE_PUT) {
            try (FSDataOutputStream out = fs.create(target, overwrite)) {
                out.write(bytes);
            }
            return;
        }
        Path temp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(temp, false)) {
            out.write(bytes);
            // Survive a machine crash, not only a killed process: the rename must not point at
            // data still in the page cache.
            out.hsync();
        }
        try {
            if (strategy == Strategy.CONTEXT_RENAME) {
                FileContext.getFileContext(target.toUri(), conf).rename(temp, target,
                        overwrite ? Options.Rename.OVERWRITE : Options.Rename.NONE);
            } else if (!fs.rename(temp, target)) {
                throw new IOException("rename " + temp + " -> " + target + " returned false");
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(temp, false);
            throw e;
        }
    }

    /** The whole file as UTF-8, read through the same layer the writer used. */
    String read(Path path) throws IOException {
        FileSystem fs = fileSystem(path);
        try (FSDataInputStream in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    boolean exists(Path path) throws IOException {
        return fileSystem(path).exists(path);
    }

    /** The file system to use for {@code path}: the raw layer on local disks (see the class comment). */
    FileSystem fileSystem(Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        if (strategy == Strategy.LOCAL_RENAME && fs instanceof LocalFileSystem local) {
            return local.getRawFileSystem();
        }
        return fs;
    }

    private static String scheme(FileSystem fs) {
        String s = fs.getUri().getScheme();
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
