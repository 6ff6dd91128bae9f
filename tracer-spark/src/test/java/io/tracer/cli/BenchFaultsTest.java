package io.tracer.cli;

import io.tracer.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench faults --dir}: a local directory, given as a path or as a file: URI. */
class BenchFaultsTest {
    @Test
    void aFileUriNamesTheDirectoryItPointsAtNotAFolderCalledFileColon() {
        assertEquals(Path.of("/tmp/soak"), BenchFaults.localDir("file:/tmp/soak"));
        assertEquals(Path.of("/tmp/soak"), BenchFaults.localDir("file:///tmp/soak"));
        assertEquals(Path.of("/tmp/soak"), BenchFaults.localDir("/tmp/soak"));
        assertEquals(Path.of("soak/dir"), BenchFaults.localDir("soak/dir"));
    }

    @Test
    void aRemoteOrRelativeUriIsRefusedWithTheReason() {
        BadInputException remote = assertThrows(BadInputException.class, () -> BenchFaults.localDir("s3a://bucket/soak"));
        assertTrue(remote.getMessage().contains("local directory") && remote.getMessage().contains("s3a"),
                remote.getMessage());
        BadInputException relative = assertThrows(BadInputException.class, () -> BenchFaults.localDir("file:soak"));
        assertTrue(relative.getMessage().contains("absolute path"), relative.getMessage());
    }
}
