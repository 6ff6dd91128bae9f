package io.tracer.policy;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small manifests for tests. */
final class Manifests {
    private Manifests() {}

    static PolicyManifest l2d(String runId) {
        return l2d(runId, "2025-01-02T03:04:05Z");
    }

    static PolicyManifest l2d(String runId, String createdAt) {
        return new PolicyManifest(PolicyManifest.SCHEMA_VERSION, runId, createdAt, "0.1.0-test",
                PolicyManifest.Method.L2D, null, 0.95, 0.05, List.of("balance", "card_lost", "refund"),
                new PolicyManifest.Encoder("all-minilm-l6-v2-q", 384),
                List.of(new PolicyManifest.Stage(0, "logreg", "stage0/surrogate", "logistic", "stage0/gate",
                        0.8125, null)),
                new PolicyManifest.Certification(0.8125, 1200, 1170, 2000, 0.6, 0.975, 0.9631, 0.0012),
                new PolicyManifest.Traces("file:/data/traces", 7L),
                "tracer { seed = 42 }", ood());
    }

    /** An out-of-distribution entry as OodGate writes it, with a non-finite threshold for a label. */
    static PolicyManifest.Ood ood() {
        return new PolicyManifest.Ood(true, "l2_to_predicted_label_centroid", 0.99, 30, 4.25,
                java.util.Arrays.asList(3.5, -1.0, Double.NaN), List.of(120L, 0L, 41L), "ood/centroids.json");
    }

    static PolicyManifest none(String runId, String reason) {
        return new PolicyManifest(PolicyManifest.SCHEMA_VERSION, runId, PolicyManifest.now(), "0.1.0-test",
                PolicyManifest.Method.NONE, reason, 0.98, 0.05, List.of("a", "b"),
                new PolicyManifest.Encoder("all-minilm-l6-v2-q", 384), List.of(), null,
                new PolicyManifest.Traces("file:/data/traces.jsonl", null), "tracer {}", null);
    }

    /** Writes stand-in model directories for the stage paths {@link #l2d} names. */
    static void writeModels(StagedVersion staged, Configuration conf) throws IOException {
        for (String rel : List.of("stage0/surrogate", "stage0/gate")) {
            Path file = new Path(staged.resolve(rel), "metadata");
            try (FSDataOutputStream out = file.getFileSystem(conf).create(file, false)) {
                out.write(("model " + rel + " of " + staged.versionId()).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
