package io.tracer.fit;

import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.certify.TargetOutcome;
import io.tracer.policy.LoadedPolicy;
import io.tracer.report.FitSummary;
import io.tracer.report.ReportWriter;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole fit as users run it: the runs-table row, the fit, the policy, the metric tables
 * and the summary. A failure marks the run failed and leaves the current policy untouched.
 */
public final class FitRun {
    private static final Logger LOG = LoggerFactory.getLogger(FitRun.class);

    /**
     * What a finished run hands back to its command.
     *
     * @param policy      the version written, current or not (as in {@code publication})
     * @param publication the publication, empty when publishing was off
     * @param message     what the runs table says about the run
     */
    public record Finished(FitResult fit, Optional<LoadedPolicy> policy, String summary,
                           Optional<Publication> publication, String message) {}

    /**
     * Work a command adds inside a run, so that it shares the run's row: a failure in it marks the
     * run failed, and the notes it returns join runs.message. {@code tracer update} merges the new
     * traces before the fit and compares labels with the parent run after it.
     */
    public interface Steps {
        Steps NONE = new Steps() {};

        /** After the run is recorded as running, before the fit reads its traces; returns a note or "". */
        default String beforeFit() {
            return "";
        }

        /** After the policy and the metric tables are written; returns a note or "". */
        default String afterFit(FitResult fit, Optional<Publication> publication) {
            return "";
        }
    }

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;
    private final StageObserver observer;

    public FitRun(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this(spark, config, layout, StageObserver.NONE);
    }

    /** @param observer told as each fit stage ends ({@link StageClock}) */
    public FitRun(SparkSession spark, TracerConfig config, LakehouseLayout layout, StageObserver observer) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
        this.observer = observer;
    }

    public Finished run(FitRequest request) {
        return run(request, Steps.NONE);
    }

    public Finished run(FitRequest request, Steps steps) {
        long started = System.nanoTime();
        RunRecorder recorder = new RunRecorder(spark, config, layout, request.runId(),
                request.parentRunId().orElse(null), request.command(), request.traces().uri());
        recorder.started();
        try {
            List<String> notes = new ArrayList<>();
            notes.add(steps.beforeFit());
            FitResult fit = new FitJob(spark, config, layout, observer).run(request);
            PolicyPublisher publisher = new PolicyPublisher(spark, config, layout);
            Optional<Publication> publication = publisher.publish(fit);
            Optional<LoadedPolicy> policy = publication.map(Publication::policy);
            writeTables(fit, publication.map(p -> publisher.history(fit, p)));
            notes.add(steps.afterFit(fit, publication));
            if (config.report().enabled()) {
                String report = new ReportWriter(spark, config, layout)
                        .render(request.runId(), policy.map(LoadedPolicy::uri).orElse(null));
                LOG.info("report: {}", report);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String summary = FitSummary.render(request.runId(), fit.outcomes(), fit.deployed(),
                    labelLines(fit, fit.deployed()), config.report(), policy.map(LoadedPolicy::uri).orElse(null),
                    seconds);
            TargetOutcome d = fit.deployed();
            StringBuilder message = new StringBuilder(String.format("target %.3f: %s, coverage %.4f",
                    d.target(), d.method().id(), d.coverage()));
            publication.ifPresent(p -> message.append("; ").append(p.describe()));
            notes.stream().filter(n -> n != null && !n.isBlank()).forEach(n -> message.append("; ").append(n));
            recorder.succeeded(fit.data().rows(), fit.data().tracesVersion().orElse(null),
                    policy.map(LoadedPolicy::uri).orElse(null), message.toString());
            return new Finished(fit, policy, summary, publication, message.toString());
        } catch (RuntimeException e) {
            LOG.error("run {} failed: {}", request.runId(), e.getMessage());
            try {
                recorder.failed(e);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /**
     * The run's metric tables in one go: the history row of its publication, the frontier,
     * candidates and label coverage, and the report's tables. Each write is mostly waiting on
     * Delta's log and commit (a second or two even for a few rows), so one pool overlaps all seven
     * instead of three groups one after the other (on Banking77 the groups took 2, 4 and 6 s).
     */
    private void writeTables(FitResult fit, Optional<DeltaWriter.Pending> history) {
        List<DeltaWriter.Pending> writes = new ArrayList<>();
        history.ifPresent(writes::add);
        writes.addAll(new FitTables(spark, layout).writes(fit));
        ReportWriter.Tables report = config.report().enabled()
                ? new ReportWriter(spark, config, layout).tables(fit.reportInput())
                : new ReportWriter.Tables(List.of(), () -> { });
        try {
            writes.addAll(report.writes());
            new DeltaWriter(spark, layout).writeAll(fit.request().runId(), writes);
        } finally {
            report.release().run();
        }
    }

    private static List<FitSummary.LabelLine> labelLines(FitResult fit, TargetOutcome outcome) {
        List<FitSummary.LabelLine> lines = new ArrayList<>();
        for (FitTables.LabelCounts l : FitTables.labelCounts(outcome, fit.data().calibration())) {
            lines.add(new FitSummary.LabelLine(l.label(), l.rows(), l.handled(),
                    l.handled() == 0 ? null : (double) l.agreeing() / l.handled()));
        }
        return lines;
    }
}
