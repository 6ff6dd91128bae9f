package io.tracer.cli;

import io.tracer.config.ConfigKeys;
import io.tracer.scan.ScanJob;
import io.tracer.scan.ScanRequest;
import io.tracer.scan.ScanResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tracer scan --traces URI}: the day-one read of a trace table. Validates it as a fit would
 * (counting, not writing, the quarantine), prints label counts, the long tail, duplicates, input
 * lengths and the embedding work a fit faces, fits one quick surrogate on a bounded sample and
 * prints, per target, the coverage a fit could certify: an estimate, not a certificate. Writes a
 * row of the scans table and a report page.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Read a trace table once and estimate what a fit could do with it (an estimate, not a "
                + "certificate); writes a scans row and <lakehouse>/reports/<run id>.html.")
public final class ScanCommand extends SparkCommand {
    @Mixin
    TraceOptions traces = new TraceOptions();

    @Mixin
    LakehouseOption lakehouse = new LakehouseOption();

    @Mixin
    RunIdOption runId = new RunIdOption();

    @Option(names = "--sample-rows", paramLabel = "N",
            description = "Rows the quick surrogate is fitted and judged on (" + ConfigKeys.SCAN_SAMPLE_ROWS + ").")
    Integer sampleRows;

    @Option(names = "--write-quarantine",
            description = "Also write the rows a fit would refuse to the quarantine table (default: count them only).")
    boolean writeQuarantine;

    @Override
    Map<String, String> configFlags() {
        Map<String, String> m = new LinkedHashMap<>(lakehouse.overrides());
        if (sampleRows != null) {
            m.put(ConfigKeys.SCAN_SAMPLE_ROWS, sampleRows.toString());
        }
        return m;
    }

    @Override
    int run(JobContext job) {
        ScanResult result = new ScanJob(job.spark(), job.config(), job.layout())
                .run(new ScanRequest(traces.source(), runId.orNew().value(), writeQuarantine));
        System.out.print(result.summary());
        System.out.println("report      " + result.reportUri());
        return TracerCli.EXIT_OK;
    }
}
