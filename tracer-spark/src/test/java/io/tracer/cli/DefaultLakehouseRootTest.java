package io.tracer.cli;

import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command, run as a user runs it (through {@link TracerCli} with its exit codes) with no
 * {@code --lakehouse}: the shipped default root {@code file:./tracer-lakehouse} resolves against
 * the working directory, the same way for every command. The commands run in the test JVM's one
 * session through {@link JobShell#inSession}, whose working directory is a temporary folder,
 * so the tables must land under {@code <that folder>/tracer-lakehouse}, and nothing under the
 * JVM's own working directory. Inputs and outputs are absolute URIs; the fits are as cheap as a
 * fit gets (one surrogate, two folds, the top-1 gate, global only, one target, no OOD gate).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefaultLakehouseRootTest {
    /** The working directory the commands run "from". */
    @TempDir
    static Path cwd;
    /** Inputs and outputs, given as absolute URIs. */
    @TempDir
    static Path data;

    static Path lake;
    static boolean jvmLakeExisted;

    static final String[] CHEAP_FIT = {"--target", "0.8", "-Dtracer.zoo.skip=[mlp-1, mlp-2, lr-1e-4, lr-1e-2]",
            "-Dzoo.folds=2", "-Dgate.candidates=[top1]", "-Dpipeline.families=[global]", "-Dcalibrate.targets=[0.8]",
            "-Dcalibrate.grid-size=50", "-Dood.enabled=false"};

    @BeforeAll
    static void setUp() {
        lake = cwd.resolve("tracer-lakehouse");
        jvmLakeExisted = Files.exists(Path.of("tracer-lakehouse"));
    }

    private static String uri(Path p) {
        return p.toUri().toString();
    }

    /** Runs {@code tracer args...} in the test session from {@link #cwd}; asserts the exit code. */
    private static void tracer(int expectedExit, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = TracerCli.commandLine(JobShell.inSession(SparkTestSession.get(), cwd));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        assertEquals(expectedExit, exit, "tracer " + String.join(" ", args) + "\n" + err);
    }

    private static String[] with(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static void assertDeltaTable(Path table) {
        assertTrue(Files.isDirectory(table.resolve("_delta_log")), "no Delta table at " + table);
    }

    @Test
    @Order(1)
    void generateRunsFromAnotherDirectory() {
        tracer(0, "generate", "--output", uri(data.resolve("traces")), "--rows", "1200", "--dim", "16",
                "--labels", "6", "--noise", "0.02", "--ood-share", "0", "--seed", "7");
        assertDeltaTable(data.resolve("traces"));
    }

    @Test
    @Order(2)
    void embedPutsItsCacheAndQuarantineUnderTheDefaultRoot() throws IOException {
        Path jsonl = data.resolve("small.jsonl");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            rows.append(String.format("{\"trace_id\": \"t%d\", \"input\": \"how do I reset card %d?\", "
                    + "\"teacher\": \"l%d\"}%n", i, i, i % 2));
        }
        // a repeated trace id: kept once, the other row goes to the quarantine table
        rows.append("{\"trace_id\": \"t0\", \"input\": \"how do I reset card 0 again?\", \"teacher\": \"l0\"}\n");
        Files.writeString(jsonl, rows, StandardCharsets.UTF_8);

        tracer(0, "embed", "--traces", uri(jsonl), "--output", uri(data.resolve("embedded")), "--run-id", "embed-1");
        assertDeltaTable(data.resolve("embedded"));
        assertDeltaTable(lake.resolve("embedding_cache"));
        assertDeltaTable(lake.resolve("quarantine"));
    }

    @Test
    @Order(3)
    void fitWritesTablesPolicyAndReportUnderTheDefaultRoot() {
        tracer(0, with(new String[] {"fit", "--traces", uri(data.resolve("traces")), "--run-id", "fit-1"}, CHEAP_FIT));
        assertDeltaTable(lake.resolve("runs"));
        assertDeltaTable(lake.resolve("frontier"));
        assertDeltaTable(lake.resolve("label_coverage"));
        assertTrue(Files.isRegularFile(lake.resolve("policies/CURRENT")), "no published policy under " + lake);
        assertTrue(Files.isRegularFile(lake.resolve("reports/fit-1.html")));
    }

    @Test
    @Order(4)
    void routeFindsThePolicyAndRoutes() {
        tracer(0, "route", "--policy", uri(lake.resolve("policies")), "--input", uri(data.resolve("traces")),
                "--output", uri(data.resolve("routed")), "--run-id", "route-1");
        assertDeltaTable(data.resolve("routed"));
    }

    @Test
    @Order(5)
    void auditWritesItsTableUnderTheDefaultRoot() {
        tracer(0, "audit", "--policy", uri(lake.resolve("policies")), "--traces", uri(data.resolve("traces")),
                "--run-id", "audit-1");
        assertDeltaTable(lake.resolve("audit"));
    }

    @Test
    @Order(6)
    void reportRendersThePageAgainUnderTheDefaultRoot() throws IOException {
        Files.delete(lake.resolve("reports/fit-1.html"));
        tracer(0, "report", "--run-id", "fit-1");
        assertTrue(Files.isRegularFile(lake.resolve("reports/fit-1.html")));
    }

    @Test
    @Order(7)
    void updateRecordsItsRunUnderTheDefaultRoot() {
        tracer(0, with(new String[] {"update", "--traces", uri(data.resolve("traces")), "--history",
                uri(data.resolve("history")), "--run-id", "update-1", "--no-publish", "-Dreport.enabled=false"},
                CHEAP_FIT));
        assertDeltaTable(data.resolve("history"));
        List<Row> run = SparkTestSession.get().read().format("delta").load(uri(lake.resolve("runs")))
                .where(col("run_id").equalTo("update-1")).select("status").collectAsList();
        assertEquals(1, run.size());
        assertEquals("succeeded", run.get(0).getString(0));
    }

    @Test
    @Order(8)
    void nothingLandedUnderTheJvmsOwnWorkingDirectory() {
        if (!jvmLakeExisted) {
            assertFalse(Files.exists(Path.of("tracer-lakehouse")), "a command resolved the root against the JVM's cwd");
        }
    }

    @Test
    @Order(9)
    void aBadRunIdIsAUsageError() {
        tracer(2, "report", "--run-id", "../elsewhere");
        tracer(2, "route", "--policy", "p", "--input", "i", "--output", "o", "--run-id", "a:b");
    }
}
