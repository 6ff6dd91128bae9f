package io.tracer.cli;

import io.tracer.audit.AuditReport;
import io.tracer.config.TracerConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs {@code tracer audit} with command-line flags on the test session; returns the report and the exit code. */
public final class AuditCommandAccess {
    private AuditCommandAccess() {}

    public record Run(AuditReport report, int exitCode) {}

    public static Run audit(SparkSession spark, TracerConfig config, String... args) {
        AuditCommand cmd = new AuditCommand();
        new CommandLine(cmd).parseArgs(args);
        AuditReport report = cmd.audit(JobContext.of(spark, config));
        return new Run(report, AuditCommand.exitCode(report));
    }
}
