package io.tracer.update;

import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.config.TracerConfig;
import io.tracer.embed.EmbedResult;
import io.tracer.embed.Embedder;
import io.tracer.fit.FitRequest;
import io.tracer.fit.FitResult;
import io.tracer.fit.FitRun;
import io.tracer.fit.Publication;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.traces.LoadedTraces;
import io.tracer.traces.TraceLoader;
import io.tracer.traces.TraceSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * {@code tracer update} as one run: merge the new traces into the trace history, refit on the
 * whole history, publish (current only when certified), write the metric tables and the label
 * deltas against the parent run. Everything happens inside one {@link FitRun}, so the runs
 * table has one row for it, linked to its parent, and a failure anywhere marks it failed and
 * leaves the current policy alone. Traces merged before a failed fit stay in the history,
 * marked with the failed run's id; the next update keeps them and links to the last good run.
 */
public final class UpdateJob {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateJob.class);

    /** The command name the runs table records. */
    public static final String COMMAND = "update";

    /**
     * What an update did.
     *
     * @param parentRunId  the run it followed, empty for the first update of a history
     * @param merge        the merge into the trace history
     * @param labelDeltas  label_deltas rows per status, empty without a parent
     * @param run          the fit run (its result, publication, summary and runs-table message)
     */
    public record Updated(String historyUri, Optional<String> parentRunId, MergeResult merge,
                          Map<String, Long> labelDeltas, FitRun.Finished run) {

        /** True when the new policy went live. */
        public boolean promoted() {
            return run.publication().map(Publication::madeCurrent).orElse(false);
        }

        /** The fit summary with what the update adds. */
        public String summary() {
            StringBuilder s = new StringBuilder(run.summary());
            s.append("update: ").append(merge.describe()).append('\n');
            s.append("parent run: ").append(parentRunId.orElse("none (first update of this history)")).append('\n');
            if (!labelDeltas.isEmpty()) {
                s.append("label deltas: ").append(labelDeltas).append('\n');
            }
            run.publication().ifPresent(p -> s.append(p.describe()).append('\n'));
            return s.toString();
        }
    }

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public UpdateJob(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    public Updated run(UpdateRequest request) {
        HistoryTable history = new HistoryTable(spark, request.historyUri());
        Optional<String> parent = ParentRun.latestSucceeded(spark, layout, history.uri(), request.runId());
        LOG.info("update {}: new traces {}, history {}, parent run {}", request.runId(), request.newTraces().uri(),
                history.uri(), parent.orElse("none"));
        FitRequest fit = new FitRequest(TraceSource.of(history.uri()).withFormat("delta"), request.runId(),
                request.publish(), parent, COMMAND);
        Steps steps = new Steps(request, history, parent);
        FitRun.Finished done = new FitRun(spark, config, layout).run(fit, steps);
        return new Updated(history.uri(), parent, steps.merge, steps.deltas, done);
    }

    /** The update's own work inside the run: the merge before the fit, the deltas after it. */
    private final class Steps implements FitRun.Steps {
        private final UpdateRequest request;
        private final HistoryTable history;
        private final Optional<String> parent;
        private MergeResult merge;
        private Map<String, Long> deltas = Map.of();

        Steps(UpdateRequest request, HistoryTable history, Optional<String> parent) {
            this.request = request;
            this.history = history;
            this.parent = parent;
        }

        @Override
        public String beforeFit() {
            spark.sparkContext().setJobGroup("tracer:merge", "run " + request.runId() + ": merge "
                    + request.newTraces().uri() + " into the trace history", false);
            try {
                merge = mergeNewTraces(request, history);
            } finally {
                spark.sparkContext().clearJobGroup();
            }
            return "new traces " + request.newTraces().uri() + ": " + merge.describe();
        }

        @Override
        public String afterFit(FitResult fit, Optional<Publication> publication) {
            if (parent.isEmpty()) {
                LOG.info("run {} has no parent run: no label deltas", request.runId());
                return "";
            }
            deltas = new LabelDeltas(spark, layout).write(request.runId(), parent.get());
            return "label deltas against " + parent.get() + ": " + deltas;
        }
    }

    /** Load and validate (bad rows to quarantine, as in fit), embed when needed, merge. */
    private MergeResult mergeNewTraces(UpdateRequest request, HistoryTable history) {
        LoadedTraces loaded = new TraceLoader(spark, config.traces())
                .load(request.newTraces(), new DeltaWriter(spark, layout).prepare(MetricTable.QUARANTINE),
                        request.runId());
        Runnable release = () -> {};
        try {
            Dataset<Row> valid = loaded.valid();
            if (loaded.encoder().isPresent()) {
                history.requireEncoder(loaded.encoder().get());
            } else {
                Embedder embedder = new Embedder(spark, config.embed(), Optional.of(layout.embeddingCache()));
                history.requireEncoder(embedder.encoder());
                EmbedResult embedded = embedder.embed(valid);
                valid = embedded.embedded();
                release = embedded::unpersist;
            }
            return history.merge(valid, request.runId(), request.newTraces().uri());
        } finally {
            release.run();
            loaded.valid().unpersist();
        }
    }
}
