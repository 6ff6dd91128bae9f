package io.tracer.report;

import io.tracer.BadInputException;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.LakehouseTables;
import io.tracer.lakehouse.MetricTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the HTML report shows, read back from one run's rows in the metric tables
 * (frontier, slices, boundary_pairs, examples): a handful of rows per table, so collecting them
 * is fine. Reading the tables rather than the in-memory fit means a report can be rendered
 * again later from the lakehouse alone.
 *
 * @param target the deploy target (the slices' target)
 */
public record ReportModel(String runId, double target, List<FrontierPoint> frontier, List<Slice> slices,
                          List<Pair> pairs, List<Example> examples, TracerConfig.Report cost, String policyUri) {

    /**
     * One frontier row: a candidate policy at a target. {@code certified} is true on the one row
     * per target the target deploys; other rows are information only.
     */
    public record FrontierPoint(double target, double delta, String family, String surrogate, String gate,
                                boolean selected, boolean certified, Double threshold, double coverage,
                                Double agreement, Double lower, String reason) {
        public String pipeline() {
            return family + "[" + surrogate + (gate == null ? "" : " + " + gate) + "]";
        }
    }

    public record Slice(String dimension, String slice, Integer lengthMin, Integer lengthMax, long rows,
                        long handled, double share, long agreeing, Double agreement, long handledStage1,
                        long handledStage2, long deferredGate, long deferredOod) {}

    public record Pair(String label, int rank, double distance, String handledTraceId, String handledInput,
                       Double handledScore, String handledSurrogateLabel, String deferredTraceId,
                       String deferredInput, Double deferredScore, String deferredReason) {}

    public record Example(String label, String traceId, String input, String decision, Double score,
                          String surrogateLabel, String teacher) {}

    /**
     * The deploy target's row: the certified one; when nothing is deployed there, the selected
     * one (or any row of the target), whose reason says why.
     */
    public Optional<FrontierPoint> deployed() {
        return at(target);
    }

    /** As {@link #deployed()}, at any target of the frontier. */
    public Optional<FrontierPoint> at(double t) {
        return frontier.stream().filter(p -> p.target() == t)
                .min(Comparator.comparing((FrontierPoint p) -> !p.certified()).thenComparing(p -> !p.selected()));
    }

    /** The frontier's targets, ascending. */
    public List<Double> targets() {
        return frontier.stream().map(FrontierPoint::target).distinct().sorted().toList();
    }

    public Optional<Slice> overall() {
        return slices.stream().filter(s -> s.dimension().equals(SliceTable.ALL)).findFirst();
    }

    public List<Slice> slices(String dimension) {
        return slices.stream().filter(s -> s.dimension().equals(dimension)).toList();
    }

    /** @throws BadInputException when the run has no slices rows (no report tables were written for it) */
    public static ReportModel load(SparkSession spark, LakehouseLayout layout, String runId,
                                   TracerConfig.Report cost, String policyUri) {
        LakehouseTables tables = new LakehouseTables(spark, layout);
        List<Slice> slices = new ArrayList<>();
        Double target = null;
        for (Row r : tables.runRows(MetricTable.SLICES, runId)) {
            target = r.getAs("target");
            slices.add(new Slice(r.getAs("dimension"), r.getAs("slice"), r.getAs("length_min"), r.getAs("length_max"),
                    r.<Long>getAs("rows"), r.<Long>getAs("handled"), r.<Double>getAs("handled_share"),
                    r.<Long>getAs("agreeing"), r.getAs("agreement_on_handled"), r.<Long>getAs("handled_stage1"),
                    r.<Long>getAs("handled_stage2"), r.<Long>getAs("deferred_gate"), r.<Long>getAs("deferred_ood")));
        }
        if (target == null) {
            throw new BadInputException("run " + runId + " has no rows in " + tables.sqlName(MetricTable.SLICES)
                    + ": its report tables were not written");
        }
        slices.sort(Comparator.comparing(Slice::dimension).thenComparing(Slice::slice));
        List<FrontierPoint> frontier = new ArrayList<>();
        for (Row r : tables.runRows(MetricTable.FRONTIER, runId)) {
            frontier.add(new FrontierPoint(r.getAs("target"), r.getAs("delta"), r.getAs("family"), r.getAs("surrogate"),
                    r.getAs("gate"), r.<Boolean>getAs("selected"), r.<Boolean>getAs("certified"),
                    r.getAs("threshold"), r.<Double>getAs("coverage_cal"), r.getAs("agreement_cal"),
                    r.getAs("agreement_lower"), r.getAs("reason")));
        }
        frontier.sort(Comparator.comparingDouble(FrontierPoint::target).thenComparing(FrontierPoint::pipeline));
        List<Pair> pairs = new ArrayList<>();
        for (Row r : tables.runRows(MetricTable.BOUNDARY_PAIRS, runId)) {
            pairs.add(new Pair(r.getAs("label"), r.<Integer>getAs("rank"), r.<Double>getAs("distance"),
                    r.getAs("handled_trace_id"), r.getAs("handled_input"), r.getAs("handled_score"),
                    r.getAs("handled_surrogate_label"), r.getAs("deferred_trace_id"), r.getAs("deferred_input"),
                    r.getAs("deferred_score"), r.getAs("deferred_reason")));
        }
        pairs.sort(Comparator.comparing(Pair::label).thenComparingInt(Pair::rank));
        List<Example> examples = new ArrayList<>();
        for (Row r : tables.runRows(MetricTable.EXAMPLES, runId)) {
            examples.add(new Example(r.getAs("label"), r.getAs("trace_id"), r.getAs("input"), r.getAs("decision"),
                    r.getAs("accept_score"), r.getAs("surrogate_label"), r.getAs("teacher")));
        }
        examples.sort(Comparator.comparing(Example::label).thenComparing(Example::decision, Comparator.reverseOrder())
                .thenComparing(Example::traceId));
        return new ReportModel(runId, target, frontier, slices, pairs, examples, cost, policyUri);
    }
}
