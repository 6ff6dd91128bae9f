package io.tracer.policy;

import io.tracer.BadInputException;
import io.tracer.TracerException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyStoreTest {
    private final Configuration conf = new Configuration();

    @TempDir
    Path dir;

    private PolicyStore store() {
        return new PolicyStore(dir.resolve("policies").toUri().toString(), conf);
    }

    private LoadedPolicy publish(PolicyStore store, String runId, String createdAt, boolean makeCurrent)
            throws IOException {
        StagedVersion staged = store.stage(runId);
        Manifests.writeModels(staged, conf);
        return store.publish(staged, Manifests.l2d(runId, createdAt), makeCurrent);
    }

    @Test
    void emptyStoreHasNoPolicy() {
        PolicyStore store = store();
        assertTrue(store.current().isEmpty());
        assertTrue(store.previous().isEmpty());
        assertTrue(store.versions().isEmpty());
    }

    @Test
    void publishingV2AfterV1MakesV2CurrentAndRemembersV1() throws IOException {
        PolicyStore store = store();
        publish(store, "v1", "2025-01-01T00:00:00Z", true);
        assertEquals("v1", store.current().orElseThrow().manifest().runId());

        publish(store, "v2", "2025-01-02T00:00:00Z", true);
        LoadedPolicy current = store.current().orElseThrow();
        assertEquals("v2", current.versionId());
        assertEquals(Manifests.l2d("v2", "2025-01-02T00:00:00Z"), current.manifest());
        assertTrue(current.resolve("stage0/surrogate").endsWith("/policies/versions/v2/stage0/surrogate"),
                current.resolve("stage0/surrogate"));
        assertEquals("v1", store.previous().orElseThrow().versionId());
        assertEquals(List.of("v2", "v1"), store.versions().stream().map(LoadedPolicy::versionId).toList());

        // A fresh store object (another process) sees the same thing.
        assertEquals("v2", store().current().orElseThrow().versionId());
    }

    @Test
    void interruptedAfterModelsBeforeManifestLeavesV1CurrentAndIgnoresTheDebris() throws IOException {
        PolicyStore store = store();
        publish(store, "v1", "2025-01-01T00:00:00Z", true);

        StagedVersion v2 = store.stage("v2");
        Manifests.writeModels(v2, conf);
        // ... the job dies here.

        PolicyStore reader = store();
        assertEquals("v1", reader.current().orElseThrow().versionId());
        assertEquals(Manifests.l2d("v1", "2025-01-01T00:00:00Z"), reader.current().orElseThrow().manifest());
        assertEquals(List.of("v1"), reader.versions().stream().map(LoadedPolicy::versionId).toList());
        BadInputException e = assertThrows(BadInputException.class, () -> reader.load(v2.uri()));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void interruptedAfterManifestBeforeFlipLeavesV1CurrentThenPromoteFlips() throws IOException {
        PolicyStore store = store();
        publish(store, "v1", "2025-01-01T00:00:00Z", true);
        publish(store, "v2", "2025-01-02T00:00:00Z", false);

        PolicyStore reader = store();
        assertEquals("v1", reader.current().orElseThrow().versionId());
        assertEquals(List.of("v2", "v1"), reader.versions().stream().map(LoadedPolicy::versionId).toList());

        reader.promote("v2");
        assertEquals("v2", store.current().orElseThrow().versionId());
        assertEquals("v1", store.previous().orElseThrow().versionId());
        // Rolling back is a promote of the older version.
        store.promote("v1");
        assertEquals("v1", store.current().orElseThrow().versionId());
        assertEquals("v2", store.previous().orElseThrow().versionId());
    }

    @Test
    void aRetriedRunIdGetsAFreshDirectoryAndNeverRewritesAPublishedOne() throws IOException {
        PolicyStore store = store();
        LoadedPolicy first = publish(store, "run-7", "2025-01-01T00:00:00Z", true);
        StagedVersion again = store.stage("run-7");
        assertEquals("run-7.2", again.versionId());
        assertEquals("run-7", again.runId());

        StagedVersion firstAgain = new StagedVersion(first.versionId(), "run-7", first.uri());
        TracerException e = assertThrows(TracerException.class,
                () -> store.publish(firstAgain, Manifests.l2d("run-7"), true));
        assertTrue(e.getMessage().contains("already published"), e.getMessage());
    }

    @Test
    void publishRefusesAManifestNamingMissingModels() {
        PolicyStore store = store();
        StagedVersion staged = store.stage("v1");
        TracerException e = assertThrows(TracerException.class, () -> store.publish(staged, Manifests.l2d("v1")));
        assertTrue(e.getMessage().contains("stage0/surrogate"), e.getMessage());
        assertTrue(store.current().isEmpty());
        assertTrue(store.versions().isEmpty());
    }

    @Test
    void publishRefusesAManifestOfAnotherRun() {
        PolicyStore store = store();
        StagedVersion staged = store.stage("v1");
        assertThrows(TracerException.class, () -> store.publish(staged, Manifests.none("v9", "why"), true));
    }

    @Test
    void aNonePolicyPublishesWithoutModels() {
        PolicyStore store = store();
        StagedVersion staged = store.stage("v1");
        store.publish(staged, Manifests.none("v1", "no threshold certified"), true);
        assertEquals(PolicyManifest.Method.NONE, store.current().orElseThrow().manifest().method());
    }

    @Test
    void badRunIdsAreRefused() {
        PolicyStore store = store();
        for (String bad : List.of("", "a/b", "../x", "it's", "a:b")) {
            assertThrows(BadInputException.class, () -> store.stage(bad), bad);
        }
    }

    @Test
    void aTornPointerIsReportedAndPromoteRepairsIt() throws IOException {
        PolicyStore store = store();
        publish(store, "v1", "2025-01-01T00:00:00Z", true);
        Files.writeString(dir.resolve("policies/CURRENT"), "{\"vers", StandardCharsets.UTF_8);
        TracerException e = assertThrows(TracerException.class, store::current);
        assertTrue(e.getMessage().contains("does not name a policy version"), e.getMessage());
        store.promote("v1");
        assertEquals("v1", store.current().orElseThrow().versionId());
    }

    @Test
    void leavesNoTempFilesOrChecksumsBehind() throws IOException {
        PolicyStore store = store();
        publish(store, "v1", "2025-01-01T00:00:00Z", true);
        publish(store, "v2", "2025-01-02T00:00:00Z", true);
        try (var files = Files.list(dir.resolve("policies"))) {
            assertEquals(List.of("CURRENT", "versions"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertFalse(Files.exists(dir.resolve("policies/versions/v2/.manifest.json.crc")));
    }

    @ParameterizedTest
    @EnumSource(AtomicFiles.Strategy.class)
    void everyWriteStrategyPublishesAndFlips(AtomicFiles.Strategy strategy) throws IOException {
        PolicyStore store = new PolicyStore(dir.resolve("p-" + strategy).toUri().toString(), conf, strategy);
        publish(store, "v1", "2025-01-01T00:00:00Z", true);
        publish(store, "v2", "2025-01-02T00:00:00Z", true);
        assertEquals("v2", store.current().orElseThrow().versionId());
        assertEquals("v1", store.previous().orElseThrow().versionId());
    }

    @Test
    void theLocalDiskUsesTheRawRename() throws IOException {
        assertEquals(AtomicFiles.Strategy.LOCAL_RENAME,
                AtomicFiles.strategyFor(new org.apache.hadoop.fs.Path(dir.toUri()), conf));
    }
}
