package io.tracer.cli;

import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.report.ReportWriter;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tracer report --run-id ID}: renders a fit's HTML report again from its rows in the
 * lakehouse (frontier, slices, boundary_pairs, examples), e.g. after the page was deleted or to
 * pick up a newer renderer. The tables themselves are written by the fit.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Renders the HTML report of a fit run from its metric tables to <lakehouse>/reports/<run id>.html "
                + "and prints its URI.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--run-id", required = true, paramLabel = "ID", description = "The fit run to report on.")
    String runId;

    @Option(names = "--lakehouse", paramLabel = "URI", description = "Lakehouse root (tracer.lakehouse.root).")
    String lakehouse;

    @Override
    public Integer call() {
        Map<String, String> flags = new LinkedHashMap<>();
        if (lakehouse != null) {
            flags.put("tracer.lakehouse.root", lakehouse);
        }
        TracerConfig config = common.load(flags);
        SparkSession spark = SparkSessions.create("tracer report", config);
        try {
            System.out.println(render(spark, config));
            return TracerCli.EXIT_OK;
        } finally {
            spark.stop();
        }
    }

    /** Renders on a session the caller owns; returns the page's URI. */
    String render(SparkSession spark, TracerConfig config) {
        LakehouseLayout layout = LakehouseLayout.of(config.lakehouse(), spark.sparkContext().hadoopConfiguration());
        return new ReportWriter(spark, config, layout).render(runId);
    }
}
