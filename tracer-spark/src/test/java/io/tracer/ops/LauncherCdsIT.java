package io.tracer.ops;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jobs/tracer}'s class data sharing archive ({@code TRACER_CDS}), run as a user would: a
 * copy of the launcher beside links to the built jars, so its archives go to a directory of the
 * test's own and never to the checkout's {@code target/cds}.
 *
 * <p>An integration test (failsafe, after {@code package}): the launcher needs the built jar.
 */
class LauncherCdsIT {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    static Path home;

    private record Run(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void launcherCopy() throws IOException {
        Files.createDirectories(home.resolve("jobs"));
        Files.createDirectories(home.resolve("target"));
        Files.copy(REPO.resolve("jobs/tracer"), home.resolve("jobs/tracer"));
        home.resolve("jobs/tracer").toFile().setExecutable(true);
        Files.createSymbolicLink(home.resolve("conf"), REPO.resolve("conf"));
        Files.createSymbolicLink(home.resolve("target/tracer-spark.jar"), REPO.resolve("target/tracer-spark.jar"));
        Files.createSymbolicLink(home.resolve("target/lib"), REPO.resolve("target/lib"));
    }

    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("jobs/tracer").toString()),
                Stream.of(args)).toList()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        pb.environment().put("TRACER_HEAP", "1g");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("jobs/tracer " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<Path> archives() throws IOException {
        Path dir = home.resolve("target/cds");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /**
     * create writes one whole archive and leaves stdout to the command; a later run maps it
     * (-Xshare:on fails a run that cannot); a failed run writes none; a damaged archive is passed
     * over, not fatal; another value is refused.
     */
    @Test
    void anArchiveIsWrittenOnceWholeUsedAfterwardsAndADamagedOnePassedOver() throws Exception {
        Run version = run(Map.of("TRACER_CDS", "off"), "--version");
        assertEquals(0, version.exit(), version.stderr());

        Run created = run(Map.of("TRACER_CDS", "create"), "--version");
        assertEquals(0, created.exit(), created.stderr());
        assertEquals(version.stdout(), created.stdout(), "stdout is the command's alone");
        List<Path> written = archives();
        assertEquals(1, written.size(), written.toString());
        assertTrue(written.get(0).getFileName().toString().matches("tracer-\\d+\\.jsa"), written.toString());
        assertTrue(created.stderr().contains("class data sharing archive written"), created.stderr());

        // The JVM's cds log (on stdout, here on purpose) says whether the archive was mapped.
        Run used = run(Map.of("TRACER_JAVA_OPTS", "-Xshare:on -Xlog:cds=info"), "--version");
        assertEquals(0, used.exit(), used.stderr());
        assertTrue(used.stdout().contains("Mapped dynamic region"), used.stdout());
        assertTrue(used.stdout().endsWith(version.stdout()), used.stdout());

        Run failed = run(Map.of("TRACER_CDS", "create"), "no-such-command");
        assertEquals(2, failed.exit(), "picocli's exit code passes through: " + failed.stderr());
        assertEquals(written, archives(), "a failed run leaves no archive and no temporary file");

        // Damaged in the middle: verified at start, passed over, the run goes on without it.
        Path archive = written.get(0);
        archive.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(archive);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 4096; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(archive, bytes);
        Run damaged = run(Map.of("TRACER_JAVA_OPTS", "-Xlog:cds=info"), "--version");
        assertEquals(0, damaged.exit(), damaged.stderr());
        assertTrue(damaged.stdout().endsWith(version.stdout()), damaged.stdout());
        assertTrue(damaged.stdout().contains("Checksum verification failed"), damaged.stdout());

        Run bogus = run(Map.of("TRACER_CDS", "sometimes"), "--version");
        assertEquals(2, bogus.exit());
        assertTrue(bogus.stderr().contains("TRACER_CDS must be auto, create or off"), bogus.stderr());
    }
}
