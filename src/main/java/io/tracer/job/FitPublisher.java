package io.tracer.job;

import io.tracer.Columns;
import io.tracer.calibrate.Certification;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricTable;
import io.tracer.pipeline.CandidateCertification;
import io.tracer.pipeline.Family;
import io.tracer.pipeline.PolicyStage;
import io.tracer.pipeline.ScoredColumns;
import io.tracer.pipeline.TargetOutcome;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.policy.StagedVersion;
import io.tracer.policy.export.PortableExporter;
import io.tracer.policy.export.UnsupportedExportException;
import io.tracer.zoo.CandidateScore;
import io.tracer.zoo.LabelIndex;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Writes what a fit decided: the policy artifact for the deploy target (models, then the
 * manifest, then the CURRENT pointer when certified), its row in the history table, and the
 * frontier, candidates and label coverage tables.
 */
public final class FitPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(FitPublisher.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public FitPublisher(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /**
     * Publishes the deploy target's policy and records the publication in the history table;
     * returns it, or empty when publishing is off. Only a certified policy replaces the current
     * one; an uncertified one is written for inspection and the previous policy stays current
     * (the very first publication becomes current anyway: it deploys nothing, so it routes
     * everything to the teacher, which is safe and gives routing a policy to read).
     */
    public Optional<Publication> publishPolicy(FitResult fit) {
        if (!fit.request().publish()) {
            return Optional.empty();
        }
        PolicyStore store = new PolicyStore(layout.policyRoot(), spark.sparkContext().hadoopConfiguration());
        TargetOutcome outcome = fit.deployed();
        StagedVersion staged = store.stage(fit.request().runId());
        List<PolicyManifest.Stage> stages = new ArrayList<>();
        PolicyManifest.Certification certification = null;
        if (outcome.deployed().isPresent()) {
            CandidateCertification chosen = outcome.deployed().get();
            Certification.Certified c = outcome.certified().orElseThrow();
            for (PolicyStage s : chosen.candidate().stages()) {
                String dir = "stage" + s.number();
                s.surrogate().save(staged.resolve(dir + "/surrogate"));
                String gatePath = null;
                if (s.gate() != null) {
                    gatePath = dir + "/gate";
                    s.gate().save(staged.resolve(gatePath));
                }
                double stageThreshold = Double.isNaN(s.cascadeThreshold()) ? c.threshold() : s.cascadeThreshold();
                String portablePath = exportPortable(s, staged, dir);
                stages.add(new PolicyManifest.Stage(s.number(), s.surrogate().spec().name(), dir + "/surrogate",
                        s.gate() == null ? null : s.gate().name(), gatePath, stageThreshold, portablePath));
            }
            certification = new PolicyManifest.Certification(c.threshold(), c.accepted(), c.agreeing(), c.n(),
                    c.coverage(), c.empiricalAgreement(), c.lowerBound(), c.pValue());
        }
        // The OOD gate travels with a deployed policy: routing must defer what certification did.
        PolicyManifest.Ood ood = null;
        if (outcome.deployed().isPresent() && fit.ood().isPresent()) {
            fit.ood().get().saveCentroids(staged.resolve(io.tracer.ood.OodGate.CENTROIDS_FILE));
            ood = fit.ood().get().manifestEntry();
        } else if (outcome.deployed().isPresent()) {
            ood = PolicyManifest.Ood.disabled();
        }
        PolicyManifest manifest = new PolicyManifest(PolicyManifest.SCHEMA_VERSION, fit.request().runId(),
                PolicyManifest.now(), CodeVersion.get(), PolicyManifest.Method.valueOf(outcome.method().name()),
                outcome.reason(), outcome.target(), outcome.delta(), fit.data().labels().labels(),
                new PolicyManifest.Encoder(fit.data().encoder().id(), fit.data().encoder().dim()),
                stages, certification, new PolicyManifest.Traces(fit.request().traces().uri(),
                        fit.data().tracesVersion().orElse(null)),
                config.render(), ood);
        boolean certified = outcome.deployed().isPresent();
        Optional<String> previous = store.currentVersionId();
        boolean makeCurrent = certified || previous.isEmpty();
        LoadedPolicy published = store.publish(staged, manifest, makeCurrent);
        Publication publication = new Publication(published, makeCurrent, previous,
                certified ? Optional.empty() : Optional.of(outcome.reason()));
        if (makeCurrent) {
            LOG.info("policy {} published and current: {}", published.versionId(), published.uri());
        } else {
            LOG.warn("policy {} written to {} but NOT made current: {}; {} stays current",
                    published.versionId(), published.uri(), outcome.reason(), previous.orElse("nothing"));
        }
        writeHistory(fit, publication);
        return Optional.of(publication);
    }

    /** The publication's row in the history table (one per run id: a re-run replaces it). */
    private void writeHistory(FitResult fit, Publication p) {
        TargetOutcome outcome = fit.deployed();
        Row row = RowFactory.create(fit.request().runId(), p.policy().versionId(), p.previousVersionId().orElse(null),
                Timestamp.from(Instant.now()), p.policy().uri(), p.madeCurrent(), outcome.method().id(),
                outcome.target(), outcome.deployed().isPresent(), p.reason().orElse(null));
        new DeltaWriter(spark, layout).write(MetricTable.HISTORY, fit.request().runId(),
                spark.createDataFrame(List.of(row), MetricTable.HISTORY.schema()));
    }

    // --- portable (Spark-free router) export ----------------------------------------------
    /**
     * Writes the stage's portable export beside its MLlib models; returns its path relative to
     * the version directory, or null (logged) when a model cannot be exported, in which case the
     * policy still routes with Spark and the Spark-free router refuses it by name.
     */
    private String exportPortable(PolicyStage s, StagedVersion staged, String dir) {
        String path = dir + "/portable";
        try {
            new PortableExporter(spark.sparkContext().hadoopConfiguration())
                    .export(s.surrogate(), s.gate(), staged.resolve(path));
            return path;
        } catch (UnsupportedExportException e) {
            LOG.warn("stage {}: no portable export, the Spark-free router will refuse this policy: {}",
                    s.number(), e.getMessage());
            return null;
        }
    }
    // ----------------------------------------------------------------------------------------

    /** Frontier, candidates and per-label coverage for every target. */
    public void writeTables(FitResult fit) {
        DeltaWriter writer = new DeltaWriter(spark, layout);
        String runId = fit.request().runId();
        writer.write(MetricTable.FRONTIER, runId, frontier(fit));
        writer.write(MetricTable.CANDIDATES, runId, candidates(fit));
        writer.write(MetricTable.LABEL_COVERAGE, runId, labelCoverage(fit));
    }

    Dataset<Row> frontier(FitResult fit) {
        List<Row> rows = new ArrayList<>();
        for (TargetOutcome o : fit.outcomes()) {
            for (CandidateCertification r : o.candidates()) {
                Certification cert = r.calibration();
                Certification.Certified c = cert instanceof Certification.Certified cc ? cc : null;
                long n = r.counts().calibration().n();
                String reason = r.selected() ? (o.deployed().isPresent() ? null : o.reason())
                        : "not selected: the selection split predicted coverage "
                        + String.format("%.4f", r.predictedCoverage());
                rows.add(RowFactory.create(fit.request().runId(), o.target(), o.delta(),
                        r.candidate().family().id(), r.candidate().surrogate(), r.candidate().gate(),
                        r.selected(), c != null,
                        c == null ? null : c.threshold(), c == null ? 0.0 : c.coverage(),
                        c == null ? null : c.empiricalAgreement(), c == null ? null : c.lowerBound(),
                        c == null ? pValue(cert) : (Double) c.pValue(),
                        c == null ? 0L : c.accepted(), c == null ? 0L : c.agreeing(), n,
                        r.predictedCoverage(), reason));
            }
        }
        return spark.createDataFrame(rows, MetricTable.FRONTIER.schema());
    }

    private static Double pValue(Certification cert) {
        return cert instanceof Certification.BelowTarget b ? b.pValue() : null;
    }

    Dataset<Row> candidates(FitResult fit) {
        List<Row> rows = new ArrayList<>();
        String winner = fit.zoo().winnerSpec().name();
        for (CandidateScore c : fit.zoo().candidates()) {
            rows.add(RowFactory.create(fit.request().runId(), "surrogate", c.name(), 1, c.metric(),
                    c.foldScores().toArray(new Double[0]), c.mean(), c.std(), c.accuracyMean(), c.macroF1Mean(), null,
                    c.fitSeconds(), c.name().equals(winner)));
        }
        String deployedGate = fit.deployed().deployed().map(d -> d.candidate().gate()).orElse(null);
        fit.gateAuc().forEach((name, auc) -> rows.add(RowFactory.create(fit.request().runId(), "gate", name, 1,
                "auc", new Double[0], auc, 0.0, null, null, auc, null, name.equals(deployedGate))));
        return spark.createDataFrame(rows, MetricTable.CANDIDATES.schema());
    }

    /** Per teacher label on the calibration split: rows, handled, agreeing, at each target. */
    Dataset<Row> labelCoverage(FitResult fit) {
        LabelIndex labels = fit.data().labels();
        List<Row> rows = new ArrayList<>();
        for (TargetOutcome o : fit.outcomes()) {
            List<Row> perLabel = coverageRows(o, fit.data().calibration());
            for (Row r : perLabel) {
                int index = (int) r.getDouble(0);
                long n = r.getLong(1);
                long handled = r.getLong(2);
                long agreeing = r.getLong(3);
                rows.add(RowFactory.create(fit.request().runId(), o.target(), labels.label(index), n, handled,
                        n == 0 ? 0.0 : (double) handled / n, agreeing,
                        handled == 0 ? null : (double) agreeing / handled));
            }
        }
        return spark.createDataFrame(rows, MetricTable.LABEL_COVERAGE.schema());
    }

    /** (label_index, rows, handled, agreeing) per label; a small aggregate of K rows. */
    static List<Row> coverageRows(TargetOutcome o, Dataset<Row> calibration) {
        if (o.deployed().isEmpty()) {
            return calibration.groupBy(Columns.LABEL_INDEX)
                    .agg(count(lit(1)), lit(0L), lit(0L)).collectAsList();
        }
        double threshold = o.certified().orElseThrow().threshold();
        Dataset<Row> scored = o.deployed().get().candidate().calibration();
        var handled = ScoredColumns.handledAt(threshold);
        return scored.groupBy(Columns.LABEL_INDEX).agg(count(lit(1)),
                        sum(when(handled, 1L).otherwise(0L)),
                        sum(when(handled, col(ScoredColumns.AGREE)).otherwise(0.0)).cast("long"))
                .collectAsList();
    }
}
