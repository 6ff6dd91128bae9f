package io.tracer.serve;

import io.tracer.Columns;
import io.tracer.gate.GateModel;
import io.tracer.gate.GateTrainer;
import io.tracer.gate.NeighbourReference;
import io.tracer.ood.OodGate;
import io.tracer.pipeline.PolicyStage;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import io.tracer.policy.PolicyStore;
import io.tracer.policy.StagedVersion;
import io.tracer.policy.export.PortableExporter;
import io.tracer.testing.SparkTestSession;
import io.tracer.zoo.Features;
import io.tracer.zoo.LabelIndex;
import io.tracer.zoo.SurrogateModel;
import io.tracer.zoo.SurrogatePipelines;
import io.tracer.zoo.SurrogateSpec;
import io.tracer.zoo.SurrogateZoo;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Small models fitted directly (no cross-validation) and published as policy versions the way
 * PolicyPublisher does: MLlib models, then the portable export, then the manifest.
 */
final class RouterFixtures {
    private RouterFixtures() {}

    /** Train rows: label index with metadata and features. */
    static Dataset<Row> prepare(Dataset<Row> rows, LabelIndex labels) {
        return Features.add(labels.withLabelIndex(rows));
    }

    static SurrogateModel fit(SurrogateSpec spec, Dataset<Row> train, LabelIndex labels, int dim) {
        PipelineModel p = SurrogatePipelines.build(spec, dim, labels.size(), 11).fit(train);
        return new SurrogateModel(spec, labels, p);
    }

    static SurrogateSpec spec(String name, int dim, int k) {
        SurrogateSpec s = SurrogateZoo.byName(name, dim, k);
        // Fewer rounds and iterations: these tests check arithmetic, not accuracy.
        return switch (s.kind()) {
            case XGBOOST -> s.withParam("numRound", 15).withParam("nthread", 1);
            case FOREST -> s.withParam("numTrees", 12).withParam("maxDepth", 6);
            case MLP -> s.withParam("maxIter", 60);
            default -> s;
        };
    }

    static final GateTrainer.BoostedParams BOOSTED = new GateTrainer.BoostedParams(25, 3, 0.3, 0.8, 0.5, 1);

    static GateTrainer gateTrainer() {
        return new GateTrainer(BOOSTED);
    }

    /**
     * A gate fitted on the surrogate's predictions of {@code rows} (agree column included). Use rows
     * the surrogate was not fitted on: where it agrees on every row, XGBoost's binary:logistic
     * refuses the labels (base_score 1) and the boosted gate's fit fails.
     */
    static GateModel gate(String name, SurrogateModel surrogate, Dataset<Row> rows) {
        return gateTrainer().train(name, surrogate.predictWithAgree(rows), 5);
    }

    /**
     * A gate with the neighbour input (5 neighbours among the top 3 labels' rows), its reference
     * sampled from {@code referenceRows} with at most {@code perLabel} rows a label.
     */
    static GateModel neighbourGate(String name, SurrogateModel surrogate, Dataset<Row> rows, Dataset<Row> referenceRows,
                                   int perLabel) {
        NeighbourReference reference = NeighbourReference.sample(referenceRows, surrogate.labels().size(), 5, 3,
                perLabel, 23);
        return new GateTrainer(BOOSTED, reference).train(name, surrogate.predictWithAgree(rows), 5);
    }

    /** @param predict false when {@code rows} already carry the surrogate's probability and agree */
    static GateModel gate(String name, SurrogateModel surrogate, Dataset<Row> rows, boolean predict) {
        return predict ? gate(name, surrogate, rows) : gateTrainer().train(name, rows, 5);
    }


    /** Publishes a policy under {@code rootUri} and returns the loaded version. */
    static LoadedPolicy publish(String rootUri, PolicyManifest.Method method, List<PolicyStage> stages,
                                double threshold, LabelIndex labels, int dim) {
        return publish(rootUri, method, stages, threshold, labels, dim, true);
    }

    /** @param portable false publishes no portable export (as a build from before the router would) */
    static LoadedPolicy publish(String rootUri, PolicyManifest.Method method, List<PolicyStage> stages,
                                double threshold, LabelIndex labels, int dim, boolean portable) {
        return publish(rootUri, method, stages, threshold, labels, dim, portable, null);
    }

    /** @param ood the out-of-distribution gate to publish as PolicyPublisher does, or null for none */
    static LoadedPolicy publish(String rootUri, PolicyManifest.Method method, List<PolicyStage> stages,
                                double threshold, LabelIndex labels, int dim, boolean portable, OodGate ood) {
        PolicyStore store = new PolicyStore(rootUri, SparkTestSession.get().sparkContext().hadoopConfiguration());
        StagedVersion staged = store.stage("router-test");
        PortableExporter exporter = new PortableExporter(SparkTestSession.get().sparkContext().hadoopConfiguration());
        List<PolicyManifest.Stage> out = new ArrayList<>();
        for (PolicyStage s : stages) {
            String dir = "stage" + s.number();
            s.surrogate().save(staged.resolve(dir + "/surrogate"));
            String gatePath = null;
            if (s.gate() != null) {
                gatePath = dir + "/gate";
                s.gate().save(staged.resolve(gatePath));
            }
            if (portable) {
                exporter.export(s.surrogate(), s.gate(), staged.resolve(dir + "/portable"));
            }
            double t = Double.isNaN(s.cascadeThreshold()) ? threshold : s.cascadeThreshold();
            out.add(new PolicyManifest.Stage(s.number(), s.surrogate().spec().name(), dir + "/surrogate",
                    s.gate() == null ? null : s.gate().name(), gatePath, t, portable ? dir + "/portable" : null));
        }
        PolicyManifest.Ood oodEntry = PolicyManifest.Ood.disabled();
        if (ood != null) {
            ood.saveCentroids(staged.resolve(OodGate.CENTROIDS_FILE));
            oodEntry = ood.manifestEntry();
        }
        PolicyManifest m = new PolicyManifest(PolicyManifest.SCHEMA_VERSION, "router-test", PolicyManifest.now(),
                "test", method, method == PolicyManifest.Method.NONE ? "nothing certified in the test" : null,
                0.9, 0.05, labels.labels(), new PolicyManifest.Encoder("synthetic", dim), out,
                method == PolicyManifest.Method.NONE ? null
                        : new PolicyManifest.Certification(threshold, 0, 0, 0, 0.0, 0.0, 0.0, 1.0),
                new PolicyManifest.Traces("file:/synthetic", null), "{}", oodEntry);
        return store.publish(staged, m, true);
    }

    /** The row's embedding, null when the column is null. */
    static float[] embedding(Row row) {
        if (row.isNullAt(row.fieldIndex(Columns.EMBEDDING))) {
            return null;
        }
        List<Object> values = row.getList(row.fieldIndex(Columns.EMBEDDING));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }
}
