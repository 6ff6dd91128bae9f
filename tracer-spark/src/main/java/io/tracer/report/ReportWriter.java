package io.tracer.report;

import io.tracer.Seeds;
import io.tracer.TracerException;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.LakehouseTables;
import io.tracer.lakehouse.MetricRows.ScanRow;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.TableRows;
import io.tracer.certify.TargetOutcome;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;


/**
 * The qualitative report of a fit, for the deploy target: the {@code slices},
 * {@code boundary_pairs} and {@code examples} tables (idempotent per run id, like every metric
 * table), then the HTML page {@code <root>/reports/<run id>.html} rendered from the run's rows
 * in the tables. The page sits under the lakehouse root rather than beside the policy because a
 * run that publishes nothing (or is not made current) still has a report to read.
 */
public final class ReportWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public ReportWriter(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /**
     * Writes the tables and the page of a fit, naming the published policy version in the page
     * ({@code policyUri} may be null); returns the page's URI. Call after the fit's own tables.
     */
    public String write(ReportInput fit, String policyUri) {
        writeTables(fit);
        return render(fit.runId(), policyUri);
    }

    /** The slices, boundary_pairs and examples rows of the fit's deploy target. */
    public void writeTables(ReportInput fit) {
        Tables tables = tables(fit);
        try {
            new DeltaWriter(spark, layout).writeAll(fit.runId(), tables.writes());
        } finally {
            tables.release().run();
        }
    }

    /**
     * The report tables' writes, for a caller that writes them beside other tables, and what to
     * run once they are written (or have failed): it drops the routed rows they share.
     */
    public record Tables(List<DeltaWriter.Pending> writes, Runnable release) {}

    /** The slices, boundary_pairs and examples writes of the fit's deploy target; nothing is computed yet. */
    public Tables tables(ReportInput fit) {
        String runId = fit.runId();
        TargetOutcome deployed = fit.deployed();
        TracerConfig.Report options = config.report();
        long seed = Seeds.derive(config.seed(), "report");
        // Three tables read the routed rows: compute the join once.
        Dataset<Row> routed = RoutedCalibration.of(fit).persist(StorageLevel.MEMORY_AND_DISK());
        return new Tables(List.of(
                new DeltaWriter.Pending(MetricTable.SLICES, () -> SliceTable.of(routed, runId, deployed.target())),
                new DeltaWriter.Pending(MetricTable.BOUNDARY_PAIRS, () -> BoundaryPairs.of(routed, runId,
                        deployed.target(), options.boundarySample(), options.boundaryPairs(), seed)),
                new DeltaWriter.Pending(MetricTable.EXAMPLES, () -> ExampleSampler.of(routed, runId,
                        deployed.target(), options.examplesPerLabel(), Seeds.derive(seed, "examples")))),
                routed::unpersist);
    }

    /**
     * Renders the page of an earlier run again from the lakehouse alone (tracer report), naming
     * the policy its runs row recorded; a scan's page from its scans row. Returns the page's URI.
     */
    public String render(String runId) {
        LakehouseTables tables = new LakehouseTables(spark, layout);
        List<Row> scans = tables.runRows(MetricTable.SCANS, runId);
        if (!scans.isEmpty() && tables.runRows(MetricTable.SLICES, runId).isEmpty()) {
            return renderScan(TableRows.fromRow(MetricTable.SCANS, scans.get(0), ScanRow.class));
        }
        List<Row> run = tables.runRows(MetricTable.RUNS, runId);
        String policyUri = run.isEmpty() ? null : run.get(0).getAs("policy_uri");
        return render(runId, policyUri);
    }

    /**
     * Renders the page of a scan ({@code <root>/reports/<run id>.html}, as for a fit) from its
     * scans row; returns its URI.
     */
    public String renderScan(ScanRow scan) {
        String uri = layout.report(scan.runId());
        writeText(uri, ScanPage.render(scan));
        LOG.debug("report of scan {}: {}", scan.runId(), uri);
        return uri;
    }

    /** Renders the page of {@code runId} from its rows in the metric tables; returns its URI. */
    public String render(String runId, String policyUri) {
        ReportModel model = ReportModel.load(spark, layout, runId, config.report(), policyUri);
        String uri = layout.report(runId);
        writeText(uri, HtmlReport.render(model));
        LOG.debug("report of run {}: {}", runId, uri);
        return uri;
    }

    /** Overwrites {@code uri}; object stores make the file visible whole on close. */
    private void writeText(String uri, String text) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (FSDataOutputStream out = fs.create(path, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new TracerException("cannot write the report " + uri + ": " + e.getMessage(), e);
        }
    }
}
