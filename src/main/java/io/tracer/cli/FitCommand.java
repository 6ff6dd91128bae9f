package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.log.ConfigLines;
import io.tracer.job.FitRequest;
import io.tracer.job.FitRun;
import io.tracer.lakehouse.LakehouseLayout;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit surrogates and gates on a trace table, certify a threshold per target, "
                + "publish the policy and write the metric tables.")
public final class FitCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FitCommand.class);

    @Mixin
    CommonOptions common;
    @Mixin
    TraceOptions traces;
    @Mixin
    FitOptions fit;

    @Override
    public Integer call() {
        TracerConfig config = common.load(fit.overrides());
        LOG.info("effective configuration (tracer.*):\n{}", ConfigLines.of(config.render()));
        SparkSession spark = SparkSessions.create("tracer fit", config);
        try {
            LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
            String runId = fit.runId != null ? fit.runId : FitRun.newRunId();
            FitRun.Finished done = new FitRun(spark, config, layout).run(new FitRequest(traces.source(), runId,
                    config.calibrate().deployTarget(), !fit.noPublish, Optional.empty(), "fit"));
            System.out.println(done.summary());
            return TracerCli.EXIT_OK;
        } finally {
            spark.stop();
        }
    }
}
