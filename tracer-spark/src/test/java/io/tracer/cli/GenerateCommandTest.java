package io.tracer.cli;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.testing.SparkTestSession;
import io.tracer.traces.SyntheticSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The command's flags and its run on the shared test session; {@code call()} itself builds and
 * stops a session of its own, which a test JVM must not do.
 */
class GenerateCommandTest {
    private static GenerateCommand parse(String... args) {
        GenerateCommand cmd = new GenerateCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void flagsBecomeTheSpecAndSeedDefaultsToTheConfig() {
        GenerateCommand cmd = parse("--output", "file:/tmp/x", "--rows", "500", "--dim", "16", "--labels", "5",
                "--noise", "0.1", "--ood-share", "0.05");
        assertEquals(new SyntheticSpec(500, 16, 5, 0.1, 0.05, 42, SyntheticSpec.DEFAULT_SPREAD,
                SyntheticSpec.DEFAULT_ZIPF_EXPONENT), cmd.spec(cmd.config()));

        GenerateCommand seeded = parse("--output", "file:/tmp/x", "--seed", "9", "-Dtracer.seed=7");
        assertEquals(9, seeded.spec(seeded.config()).seed(), "--seed wins over -D");
        GenerateCommand overridden = parse("--output", "file:/tmp/x", "-Dseed=7");
        assertEquals(7, overridden.spec(overridden.config()).seed());
        assertEquals(SyntheticSpec.defaults(100_000, 7), overridden.spec(overridden.config()));
    }

    @Test
    void badFlagIsBadInput() {
        GenerateCommand cmd = parse("--output", "file:/tmp/x", "--ood-share", "1.5");
        assertThrows(BadInputException.class, () -> cmd.spec(cmd.config()));
    }

    @Test
    void writesTheRequestedRowsToDelta(@TempDir Path dir) {
        String uri = dir.resolve("gen").toUri().toString();
        GenerateCommand cmd = parse("--output", uri, "--rows", "777", "--dim", "8", "--partitions", "3");
        assertEquals(777, cmd.generate(SparkTestSession.get(), cmd.spec(cmd.config())));
        Dataset<Row> back = SparkTestSession.get().read().format("delta").load(uri);
        assertEquals(777, back.count());
        assertEquals(8L, back.schema().apply(Columns.EMBEDDING).metadata().getLong("tracer.dim"));
        assertThrows(BadInputException.class, () -> cmd.generate(SparkTestSession.get(), cmd.spec(cmd.config())));
    }
}
