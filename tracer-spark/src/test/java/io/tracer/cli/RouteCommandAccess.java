package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.route.RouteResult;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs {@code tracer route} with command-line flags on the test session (call() would build its own). */
public final class RouteCommandAccess {
    private RouteCommandAccess() {}

    public static RouteResult route(SparkSession spark, TracerConfig config, String... args) {
        RouteCommand cmd = new RouteCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.route(JobContext.of(spark, config));
    }
}
