package io.tracer.fit;

import io.tracer.CodeVersion;
import io.tracer.calibrate.Certification;
import io.tracer.certify.TargetOutcome;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.DeltaWriter;
import io.tracer.lakehouse.LakehouseLayout;
import io.tracer.lakehouse.MetricRows;
import io.tracer.lakehouse.MetricTable;
import io.tracer.lakehouse.TableRows;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.policy.StagedVersion;
import io.tracer.policy.export.PortableExporter;
import io.tracer.policy.export.UnsupportedExportException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The publish step: the deploy target's policy artifact (models, their portable export, the OOD
 * gate, then the manifest, then the CURRENT pointer when certified) and its row in the history
 * table.
 */
public final class PolicyPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyPublisher.class);

    private final SparkSession spark;
    private final TracerConfig config;
    private final LakehouseLayout layout;

    public PolicyPublisher(SparkSession spark, TracerConfig config, LakehouseLayout layout) {
        this.spark = spark;
        this.config = config;
        this.layout = layout;
    }

    /**
     * Publishes the deploy target's policy and returns it, or empty when publishing is off;
     * {@link #history} is its row in the history table, for the caller to write beside the
     * run's other tables. Only a certified policy replaces the current
     * one; an uncertified one is written for inspection and the previous policy stays current
     * (the very first publication becomes current anyway: it deploys nothing, so it routes
     * everything to the teacher, which is safe and gives routing a policy to read).
     */
    public Optional<Publication> publish(FitResult fit) {
        if (!fit.request().publish()) {
            return Optional.empty();
        }
        PolicyStore store = new PolicyStore(layout.policyRoot(), spark.sparkContext().hadoopConfiguration());
        TargetOutcome outcome = fit.deployed();
        StagedVersion staged = store.stage(fit.request().runId());
        List<PolicyManifest.Stage> stages = new ArrayList<>();
        PolicyManifest.Certification certification = null;
        PolicyManifest.Ood ood = null;
        if (outcome instanceof TargetOutcome.Deployed deployed) {
            Certification.Certified c = deployed.certificate();
            for (PolicyStage s : deployed.chosen().candidate().stages()) {
                stages.add(saveStage(s, staged, c.threshold()));
            }
            certification = new PolicyManifest.Certification(c.threshold(), c.accepted(), c.agreeing(), c.n(),
                    c.coverage(), c.empiricalAgreement(), c.lowerBound(), c.pValue());
            // The OOD gate travels with a deployed policy: routing must defer what certification did.
            if (fit.ood().isPresent()) {
                fit.ood().get().saveCentroids(staged.resolve(OodGate.CENTROIDS_FILE));
                ood = fit.ood().get().manifestEntry();
            } else {
                ood = PolicyManifest.Ood.disabled();
            }
        }
        PolicyManifest manifest = new PolicyManifest(PolicyManifest.SCHEMA_VERSION, fit.request().runId(),
                PolicyManifest.now(), CodeVersion.get(), PolicyManifest.Method.valueOf(outcome.method().name()),
                outcome.reason(), outcome.target(), outcome.delta(), fit.data().labels().labels(),
                new PolicyManifest.Encoder(fit.data().encoder().id(), fit.data().encoder().dim()),
                stages, certification, new PolicyManifest.Traces(fit.request().traces().uri(),
                        fit.data().tracesVersion().orElse(null)),
                config.render(), ood);
        boolean certified = outcome instanceof TargetOutcome.Deployed;
        Optional<String> previous = store.currentVersionId();
        boolean makeCurrent = certified || previous.isEmpty();
        io.tracer.Faults.point("policy.staged");
        // The manifest completes the version; CURRENT flips after it, so a kill between the two
        // leaves a complete version that nothing serves yet (and the previous one current).
        LoadedPolicy published = store.publish(staged, manifest, false);
        io.tracer.Faults.point("policy.manifest");
        if (makeCurrent) {
            store.promote(published.versionId());
            io.tracer.Faults.point("policy.current");
        }
        Publication publication = new Publication(published, makeCurrent, previous,
                certified ? Optional.empty() : Optional.of(outcome.reason()));
        if (makeCurrent) {
            LOG.info("policy {} published and current: {}", published.versionId(), published.uri());
        } else {
            LOG.warn("policy {} written to {} but NOT made current: {}; {} stays current",
                    published.versionId(), published.uri(), outcome.reason(), previous.orElse("nothing"));
        }
        return Optional.of(publication);
    }

    /** A stage's MLlib models and portable export under {@code stage<n>/}, and its manifest entry. */
    private PolicyManifest.Stage saveStage(PolicyStage s, StagedVersion staged, double certifiedThreshold) {
        String dir = "stage" + s.number();
        s.surrogate().save(staged.resolve(dir + "/surrogate"));
        String gatePath = null;
        if (s.gate() != null) {
            gatePath = dir + "/gate";
            s.gate().save(staged.resolve(gatePath));
        }
        double stageThreshold = Double.isNaN(s.cascadeThreshold()) ? certifiedThreshold : s.cascadeThreshold();
        return new PolicyManifest.Stage(s.number(), s.surrogate().spec().name(), dir + "/surrogate",
                s.gate() == null ? null : s.gate().name(), gatePath, stageThreshold, exportPortable(s, staged, dir));
    }

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

    /** The publication's row in the history table (one per run id: a re-run replaces it), to write. */
    public DeltaWriter.Pending history(FitResult fit, Publication p) {
        TargetOutcome outcome = fit.deployed();
        MetricRows.HistoryRow row = new MetricRows.HistoryRow(fit.request().runId(), p.policy().versionId(),
                p.previousVersionId().orElse(null), Timestamp.from(Instant.now()), p.policy().uri(), p.madeCurrent(),
                outcome.method().id(), outcome.target(), outcome instanceof TargetOutcome.Deployed,
                p.reason().orElse(null));
        return new DeltaWriter.Pending(MetricTable.HISTORY,
                () -> TableRows.toDataFrame(spark, MetricTable.HISTORY, List.of(row)));
    }
}
