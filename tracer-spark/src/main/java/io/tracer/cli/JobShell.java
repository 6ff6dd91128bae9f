package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.log.ConfigLines;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What every Spark command does around its own work, in one place: log the effective
 * configuration, build the session ({@link SparkSessions}), open the {@link JobContext} (whose
 * lakehouse layout qualifies the root the same way for every command), run, and stop the
 * session whatever happens.
 *
 * <p>{@link #standalone()} is the shell of a real run. {@link #inSession} runs commands in a
 * session someone else owns and does not stop it, resolving a relative lakehouse root against a
 * given directory: tests run whole commands that way in the test JVM's one session, as if
 * launched from another working directory.
 */
public final class JobShell {
    private static final Logger LOG = LoggerFactory.getLogger(JobShell.class);

    /** What a command does inside the shell; returns the exit code. */
    @FunctionalInterface
    public interface Body {
        int run(JobContext job);
    }

    private final SparkSession session;
    private final Path workingDir;

    private JobShell(SparkSession session, Path workingDir) {
        this.session = session;
        this.workingDir = workingDir.toAbsolutePath();
    }

    /** Builds a session per run and stops it after; relative roots resolve against the working directory. */
    public static JobShell standalone() {
        return new JobShell(null, Path.of("").toAbsolutePath());
    }

    /** Runs in {@code spark}, which the caller owns and stops; relative roots resolve against {@code workingDir}. */
    public static JobShell inSession(SparkSession spark, Path workingDir) {
        return new JobShell(Objects.requireNonNull(spark, "spark"), workingDir);
    }

    /**
     * Runs {@code body} in a session named {@code appName} with {@code config}; returns its exit
     * code. Exceptions pass through (TracerCli maps them to exit codes) after the session stops.
     */
    public int run(String appName, TracerConfig config, Body body) {
        LOG.info("{}: effective configuration (tracer.*):\n{}", appName, ConfigLines.of(config.render()));
        SparkSession spark = session != null ? session : SparkSessions.create(appName, config);
        try {
            return body.run(new JobContext(spark, config, workingDir));
        } finally {
            if (session == null) {
                spark.stop();
            }
        }
    }
}
