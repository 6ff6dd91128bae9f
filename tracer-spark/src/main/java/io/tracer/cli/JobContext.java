package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a Spark command works with, as {@link JobShell} opened it: the effective configuration,
 * the session and the lakehouse layout.
 */
public final class JobContext {
    private final SparkSession spark;
    private final TracerConfig config;
    private final Path workingDir;
    private LakehouseLayout layout;

    /**
     * @param workingDir what a relative local lakehouse root ({@code file:./tracer-lakehouse},
     *                   the shipped default) is resolved against
     */
    public JobContext(SparkSession spark, TracerConfig config, Path workingDir) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.config = Objects.requireNonNull(config, "config");
        this.workingDir = workingDir.toAbsolutePath();
    }

    /** A context on a session the caller owns, resolving a relative root against the process's working directory. */
    public static JobContext of(SparkSession spark, TracerConfig config) {
        return new JobContext(spark, config, Path.of("").toAbsolutePath());
    }

    public SparkSession spark() {
        return spark;
    }

    public TracerConfig config() {
        return config;
    }

    /**
     * The layout under the configured root, qualified ({@link LakehouseLayout#of}). Built on first
     * use, so a command that writes nothing under the root (generate) never opens its file system.
     */
    public synchronized LakehouseLayout layout() {
        if (layout == null) {
            layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration(), workingDir);
        }
        return layout;
    }
}
