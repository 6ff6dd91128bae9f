package io.tracer.policy;

import org.apache.hadoop.conf.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Child process of {@link PolicyStoreKillTest}: starts publishing a policy version, writes a
 * marker file at the chosen point, then hangs so the parent can kill it there.
 *
 * <p>Arguments: policy root URI, run id, marker file path, phase ({@code models}: hang after the
 * models, before the manifest; {@code manifest}: hang after the manifest, before CURRENT flips).
 *
 * <p>Why it stays in test scope: it is a fixture of the kill test (it hangs on purpose half-way
 * through a publication), not a tool.
 */
public final class PublishThenHangMain {
    private PublishThenHangMain() {}

    public static void main(String[] args) throws Exception {
        String root = args[0];
        String runId = args[1];
        Path marker = Path.of(args[2]);
        String phase = args[3];
        Configuration conf = new Configuration();
        PolicyStore store = new PolicyStore(root, conf);
        StagedVersion staged = store.stage(runId);
        Manifests.writeModels(staged, conf);
        if (phase.equals("manifest")) {
            store.publish(staged, Manifests.l2d(runId, PolicyManifest.now()), false);
        }
        // The parent polls for the marker's existence: write it whole, then move it into place,
        // so the parent never reads a created-but-empty file.
        Path partial = marker.resolveSibling(marker.getFileName() + ".partial");
        Files.writeString(partial, staged.uri());
        Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(120_000);
        // Never reached when the parent kills us in time.
        if (phase.equals("models")) {
            store.publish(staged, Manifests.l2d(runId, PolicyManifest.now()), true);
        } else {
            store.promote(staged.versionId());
        }
    }
}
