package io.tracer.fit;

import io.tracer.Columns;
import io.tracer.calibrate.Certification;
import io.tracer.certify.CandidateCertification;
import io.tracer.certify.TargetOutcome;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricRows;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.TableRows;
import io.tracer.pipeline.ScoredColumns;
import io.tracer.zoo.CandidateScore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** The fit's metric tables: frontier, candidates and per-label coverage, for every target. */
public final class FitTables {
    private final SparkSession spark;
    private final LakehouseLayout layout;

    public FitTables(SparkSession spark, LakehouseLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    public void write(FitResult fit) {
        new DeltaWriter(spark, layout).writeAll(fit.request().runId(), writes(fit));
    }

    /** The three tables' writes, for {@link DeltaWriter#writeAll} beside other tables of the run. */
    public List<DeltaWriter.Pending> writes(FitResult fit) {
        return List.of(
                new DeltaWriter.Pending(MetricTable.FRONTIER,
                        () -> TableRows.toDataFrame(spark, MetricTable.FRONTIER, frontier(fit))),
                new DeltaWriter.Pending(MetricTable.CANDIDATES,
                        () -> TableRows.toDataFrame(spark, MetricTable.CANDIDATES, candidates(fit))),
                new DeltaWriter.Pending(MetricTable.LABEL_COVERAGE,
                        () -> TableRows.toDataFrame(spark, MetricTable.LABEL_COVERAGE, labelCoverage(fit))));
    }

    /**
     * One row per (target, candidate that served the target or has a step in its sequence). Only
     * the deployed row is certified and carries the certificate's figures; every other row shows
     * the candidate's own run on calibration, for information.
     */
    static List<MetricRows.FrontierRow> frontier(FitResult fit) {
        List<MetricRows.FrontierRow> rows = new ArrayList<>();
        for (TargetOutcome o : fit.outcomes()) {
            boolean anySelected = o.candidates().stream().anyMatch(CandidateCertification::selected);
            for (CandidateCertification r : o.candidates()) {
                boolean certified = r.deployed() && o instanceof TargetOutcome.Deployed;
                Certification cert = certified ? o.certified().orElseThrow() : r.standalone();
                Certification.Certified c = cert instanceof Certification.Certified cc ? cc : null;
                String reason;
                if (certified) {
                    reason = null;
                } else if (o instanceof TargetOutcome.NothingDeployed && (r.selected() || !anySelected)) {
                    reason = o.reason();
                } else if (r.selected()) {
                    reason = "selected, but the target's sequence deploys "
                            + o.deployed().map(d -> d.candidate().label()).orElse("nothing")
                            + " (its " + o.sequence().map(s -> s.deployedRole() == null ? "-" : s.deployedRole().id())
                            .orElse("-") + " step): this row is information only";
                } else {
                    reason = "information only: not selected (the selection split predicted coverage "
                            + String.format(java.util.Locale.ROOT, "%.4f", r.predictedCoverage()) + ")";
                }
                rows.add(new MetricRows.FrontierRow(fit.request().runId(), o.target(), o.delta(),
                        r.candidate().family().id(), r.candidate().surrogate(), r.candidate().gate(),
                        r.selected(), certified,
                        c == null ? null : c.threshold(), c == null ? 0.0 : c.coverage(),
                        c == null ? null : c.empiricalAgreement(), c == null ? null : c.lowerBound(),
                        c == null ? pValue(cert) : (Double) c.pValue(),
                        c == null ? 0L : c.accepted(), c == null ? 0L : c.agreeing(), r.counts().calibration().n(),
                        r.predictedCoverage(), reason, r.standalone().isCertified(), r.rolesId()));
            }
        }
        return rows;
    }

    /** NaN (a score that does not exist) as null in the table. */
    private static Double number(double x) {
        return Double.isNaN(x) ? null : x;
    }

    private static Double pValue(Certification cert) {
        return cert instanceof Certification.BelowTarget b ? b.pValue() : null;
    }

    static List<MetricRows.CandidateRow> candidates(FitResult fit) {
        List<MetricRows.CandidateRow> rows = new ArrayList<>();
        String runId = fit.request().runId();
        String winner = fit.zoo().winnerSpec().name();
        for (CandidateScore c : fit.zoo().candidates()) {
            boolean search = CandidateScore.SEARCH.equals(c.phase());
            boolean fin = CandidateScore.FINAL.equals(c.phase()) || CandidateScore.REFIT.equals(c.phase());
            rows.add(new MetricRows.CandidateRow(runId, "surrogate", c.name(), 1, c.phase(),
                    search ? c.rung() : null, c.trainRows(), fin ? null : c.evalRows(), c.metric(), c.foldScores(),
                    number(c.mean()), number(c.std()), number(c.accuracy()), number(c.macroF1()), null,
                    c.fitSeconds(), c.iterations(), c.converged(), c.name().equals(winner)));
        }
        String deployedGate = fit.deployed().deployed().map(d -> d.candidate().gate()).orElse(null);
        long outOfFold = fit.zoo().crossFit().evalRows();
        long selection = fit.data().selectionRows();
        fit.gateAuc().forEach((name, auc) -> rows.add(new MetricRows.CandidateRow(runId, "gate", name, 1, null,
                null, outOfFold, selection, "auc", List.of(), auc, null, null, null, auc, null, null, null,
                name.equals(deployedGate))));
        return rows;
    }

    /** Per teacher label on the calibration split: rows, handled, agreeing, at each target. */
    static List<MetricRows.LabelCoverageRow> labelCoverage(FitResult fit) {
        List<MetricRows.LabelCoverageRow> rows = new ArrayList<>();
        for (TargetOutcome o : fit.outcomes()) {
            for (LabelCounts l : labelCounts(o, fit.data().calibration())) {
                rows.add(new MetricRows.LabelCoverageRow(fit.request().runId(), o.target(), l.label(),
                        l.rows(), l.handled(), l.rows() == 0 ? 0.0 : (double) l.handled() / l.rows(), l.agreeing(),
                        l.handled() == 0 ? null : (double) l.agreeing() / l.handled()));
            }
        }
        return rows;
    }

    /**
     * One teacher label's calibration rows, how many the policy handles, and how many of those agree.
     * Keyed by the teacher's label, not its index: a label only calibration has is outside the label
     * index (its rows can never agree) and is still listed.
     */
    record LabelCounts(String label, long rows, long handled, long agreeing) {}

    /** Per label at one target; a small aggregate of K rows. */
    static List<LabelCounts> labelCounts(TargetOutcome o, Dataset<Row> calibration) {
        List<Row> rows;
        if (!(o instanceof TargetOutcome.Deployed deployed)) {
            rows = calibration.groupBy(Columns.TEACHER).agg(count(lit(1)), lit(0L), lit(0L)).collectAsList();
        } else {
            var handled = ScoredColumns.handledAt(deployed.certificate().threshold());
            rows = deployed.chosen().candidate().calibration().groupBy(Columns.TEACHER).agg(count(lit(1)),
                            sum(when(handled, 1L).otherwise(0L)),
                            sum(when(handled, col(ScoredColumns.AGREE)).otherwise(0.0)).cast("long"))
                    .collectAsList();
        }
        List<LabelCounts> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new LabelCounts(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3)));
        }
        out.sort(java.util.Comparator.comparing(LabelCounts::label));
        return out;
    }
}
