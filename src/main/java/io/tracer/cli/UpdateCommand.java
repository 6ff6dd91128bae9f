package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.log.ConfigLines;
import io.tracer.job.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.update.UpdateJob;
import io.tracer.update.UpdateRequest;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Merge new traces into the trace history (a Delta table, one row per trace id), refit on "
                + "the whole history, write the per-label changes against the previous run, and publish the "
                + "new policy, made current only when it is certified.")
public final class UpdateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateCommand.class);

    @Mixin
    CommonOptions common;
    @Mixin
    TraceOptions traces;
    @Mixin
    FitOptions fit;

    @Option(names = "--history", required = true, paramLabel = "URI",
            description = "Trace history Delta table (any Hadoop URI); created by the first update.")
    String history;

    @Override
    public Integer call() {
        TracerConfig config = common.load(fit.overrides());
        LOG.info("effective configuration (tracer.*):\n{}", ConfigLines.of(config.render()));
        SparkSession spark = SparkSessions.create("tracer update", config);
        try {
            LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
            String runId = fit.runId != null ? fit.runId : FitRun.newRunId();
            UpdateJob.Updated done = new UpdateJob(spark, config, layout).run(new UpdateRequest(traces.source(),
                    history, runId, config.calibrate().deployTarget(), !fit.noPublish));
            System.out.println(done.summary());
            return TracerCli.EXIT_OK;
        } finally {
            spark.stop();
        }
    }
}
