package io.tracer.policy;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a real publishing process (SIGKILL, no shutdown hooks) in the middle of a publication
 * and checks that the previous policy is still the current one and still loads.
 */
class PolicyStoreKillTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"models", "manifest"})
    void killingThePublisherMidPublishLeavesThePreviousPolicyCurrent(String phase) throws Exception {
        Configuration conf = new Configuration();
        String root = dir.resolve("policies").toUri().toString();
        PolicyStore store = new PolicyStore(root, conf);
        StagedVersion v1 = store.stage("v1");
        Manifests.writeModels(v1, conf);
        PolicyManifest v1Manifest = Manifests.l2d("v1", "2025-01-01T00:00:00Z");
        store.publish(v1, v1Manifest);

        Path marker = dir.resolve("marker");
        Path childLog = dir.resolve("child.log");
        Process child = new ProcessBuilder(javaBin(), "-cp", testClassPath(), PublishThenHangMain.class.getName(),
                root, "v2", marker.toString(), phase)
                .redirectErrorStream(true)
                .redirectOutput(childLog.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(marker)) {
                if (!child.isAlive()) {
                    fail("child exited with " + child.exitValue() + " before the marker:\n" + Files.readString(childLog));
                }
                if (System.nanoTime() > deadline) {
                    fail("no marker after 60 s:\n" + Files.readString(childLog));
                }
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        String v2Uri = Files.readString(marker);

        PolicyStore reader = new PolicyStore(root, conf);
        LoadedPolicy current = reader.current().orElseThrow();
        assertEquals("v1", current.versionId());
        assertEquals(v1Manifest, current.manifest());
        assertTrue(Files.exists(Path.of(java.net.URI.create(current.resolve("stage0/surrogate")))));
        // The child did get as far as the phase says: the kill landed mid-publication.
        assertTrue(Files.exists(Path.of(java.net.URI.create(v2Uri + "/stage0/gate/metadata"))));
        boolean manifestWritten = Files.exists(Path.of(java.net.URI.create(v2Uri + "/manifest.json")));
        assertEquals(phase.equals("manifest"), manifestWritten);
        List<String> complete = reader.versions().stream().map(LoadedPolicy::versionId).toList();
        assertEquals(phase.equals("manifest") ? List.of("v2", "v1") : List.of("v1"), complete);
        assertFalse(reader.previous().isPresent());
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire may put only a manifest jar on java.class.path; it keeps the real one here. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

}
