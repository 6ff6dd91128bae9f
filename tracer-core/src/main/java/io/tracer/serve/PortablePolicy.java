package io.tracer.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.policy.LoadedPolicy;
import io.tracer.policy.PolicyManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything routing needs of a policy, as bytes and numbers: the method, label space, certified
 * threshold and encoder, each stage's portable export (its {@code portable.json} and native model
 * files, unparsed) and the OOD gate's centroids and thresholds. Serializable, so Spark broadcasts
 * it once and each executor builds its {@link PolicyKernel} from it; the Spark-free router builds
 * the same kernel from the same bytes.
 *
 * @param id         unique per snapshot, so an executor builds each snapshot's kernel once
 * @param origin     where it came from (the policy version's URI), for messages
 * @param encoderId  the encoder the policy's models read, or null when unknown (in-memory plans)
 * @param noneReason why nothing is deployed, when the method is NONE
 * @param ood        null when the policy has no OOD gate (none published, disabled, or switched off)
 */
public record PortablePolicy(String id, String origin, PolicyManifest.Method method, List<String> labels, double threshold,
                             String encoderId, int dim, String noneReason, List<Stage> stages, Ood ood)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One stage's portable export.
     *
     * @param threshold the manifest's stage threshold (for an RSB first stage, the cascade threshold t1)
     * @param source    where it came from, for messages
     * @param files     file name to content: {@link PortableFormat#MODEL_FILE} and the native files it names
     */
    public record Stage(int number, double threshold, String source, Map<String, byte[]> files)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The OOD gate as arrays.
     *
     * @param centroids  K x D train means per label
     * @param thresholds K distance thresholds
     */
    public record Ood(double[][] centroids, double[] thresholds) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public PortablePolicy {
        labels = List.copyOf(labels);
        stages = List.copyOf(stages);
    }

    /** A new snapshot id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The same policy without its OOD gate (routing then no longer matches what was certified). */
    public PortablePolicy withoutOod() {
        return new PortablePolicy(newId(), origin, method, labels, threshold, encoderId, dim, noneReason, stages, null);
    }

    /**
     * Reads a published policy version's portable export and OOD gate.
     *
     * @throws RouterException when a stage has no portable export or a file is missing
     */
    public static PortablePolicy read(LoadedPolicy policy, Configuration conf) {
        PolicyManifest m = policy.manifest();
        List<Stage> stages = new ArrayList<>();
        for (PolicyManifest.Stage s : m.stages()) {
            if (s.portablePath() == null) {
                throw new RouterException("policy " + policy.uri() + " stage " + s.stage() + " (surrogate "
                        + s.surrogate() + ") has no portable export (portable_path); its models can only be "
                        + "routed with Spark (tracer route)");
            }
            stages.add(readStage(s.stage(), s.threshold(), policy.resolve(s.portablePath()), conf));
        }
        return of(policy, stages, conf);
    }

    /**
     * A published policy version with its stages' exports already read ({@link #readStage}, one per
     * stage of the manifest, in order); its OOD gate is read here.
     */
    public static PortablePolicy of(LoadedPolicy policy, List<Stage> stages, Configuration conf) {
        PolicyManifest m = policy.manifest();
        // Routing reads the OOD gate only for a deployed method.
        Ood ood = null;
        if (m.method() != PolicyManifest.Method.NONE) {
            PortableOod gate = PortableOod.fromManifest(m.ood(), policy::resolve, m.labels().size(),
                    m.encoder().dim(), conf);
            ood = gate == null ? null : new Ood(gate.centroids(), gate.thresholds());
        }
        double threshold = m.certification() == null ? Double.NaN : m.certification().threshold();
        return new PortablePolicy(newId(), policy.uri(), m.method(), m.labels(), threshold, m.encoder().id(), m.encoder().dim(),
                m.reason(), stages, ood);
    }

    /** The export under {@code dirUri}: {@link PortableFormat#MODEL_FILE} and the native files it names. */
    public static Stage readStage(int number, double threshold, String dirUri, Configuration conf) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] model = bytes(dirUri, PortableFormat.MODEL_FILE, conf);
        files.put(PortableFormat.MODEL_FILE, model);
        JsonNode root;
        try {
            root = JSON.readTree(model);
        } catch (IOException e) {
            throw new RouterException("portable export " + dirUri + ": " + PortableFormat.MODEL_FILE
                    + " is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, JsonNode> named = new LinkedHashMap<>();
        named.put(PortableFormat.SURROGATE, root.path(PortableFormat.SURROGATE).path("file"));
        named.put(PortableFormat.GATE, root.path(PortableFormat.GATE).path("file"));
        named.put(PortableFormat.GATE + "." + PortableFormat.NEIGHBOURS,
                root.path(PortableFormat.GATE).path(PortableFormat.NEIGHBOURS).path(NeighbourPurity.FILE));
        for (Map.Entry<String, JsonNode> part : named.entrySet()) {
            JsonNode file = part.getValue();
            if (file.isTextual()) {
                if (file.asText().contains("/") || file.asText().contains("\\")) {
                    throw new RouterException("portable export " + dirUri + ": " + part.getKey() + ".file must name a "
                            + "file beside " + PortableFormat.MODEL_FILE + ", was " + file.asText());
                }
                files.put(file.asText(), bytes(dirUri, file.asText(), conf));
            }
        }
        return new Stage(number, threshold, dirUri, files);
    }

    private static byte[] bytes(String dirUri, String name, Configuration conf) {
        Path path = new Path(dirUri, name);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new RouterException("portable export file " + path + " does not exist");
            }
            try (FSDataInputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new RouterException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
