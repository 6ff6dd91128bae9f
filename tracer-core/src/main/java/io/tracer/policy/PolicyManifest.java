package io.tracer.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tracer.BadInputException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a published policy is and how it was made: the JSON document {@code manifest.json} of a
 * policy version. Plain Java and Jackson only (no Spark), because the Spark-free router reads it.
 *
 * <p>The wire format is versioned by {@code schema_version}. Any change to the fields bumps
 * {@link #SCHEMA_VERSION}; the reader refuses versions it does not know and, within a version,
 * unknown fields, so a newer manifest is never half-understood by an older router.
 *
 * <p>Model paths are relative to the version directory, so a policy directory can be copied
 * between stores (S3 to a laptop, say) and still load.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PolicyManifest(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("run_id") String runId,
        /** ISO-8601 instant (UTC); a string so the router needs no Jackson time module. */
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("code_version") String codeVersion,
        @JsonProperty("method") Method method,
        /** Why nothing is deployed, when {@code method} is NONE; otherwise null. */
        @JsonProperty("reason") String reason,
        @JsonProperty("target") double target,
        @JsonProperty("delta") double delta,
        /** Teacher labels in label-index order: index i of a probability vector is labels[i]. */
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("encoder") Encoder encoder,
        /** Routing stages in the order they are tried; empty when {@code method} is NONE. */
        @JsonProperty("stages") List<Stage> stages,
        /** The calibration evidence; may be null only when {@code method} is NONE. */
        @JsonProperty("certification") Certification certification,
        @JsonProperty("traces") Traces traces,
        /** The effective configuration the run used (HOCON or JSON text). */
        @JsonProperty("config") String config,
        /** The out-of-distribution gate of a deployed policy ({@code {"enabled": false}} when off); else null. */
        @JsonProperty("ood") Ood ood) {

    public static final int SCHEMA_VERSION = 1;

    /** Relative path inside a version directory: no scheme, no leading slash, no "..". */
    private static final Pattern RELATIVE_PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** How the policy routes; NONE deploys nothing and says why in {@code reason}. */
    public enum Method {
        @JsonProperty("global") GLOBAL,
        @JsonProperty("l2d") L2D,
        @JsonProperty("rsb") RSB,
        @JsonProperty("none") NONE
    }

    /** The encoder that produced the embeddings the models read. */
    public record Encoder(@JsonProperty("id") String id, @JsonProperty("dim") int dim) {
        public Encoder {
            requireText(id, "encoder.id");
            require(dim > 0, "encoder.dim must be positive, was " + dim);
        }
    }

    /**
     * One routing stage: a surrogate, the gate that decides whether to trust it, and the
     * gate threshold (a row is handled here when accept_score >= threshold).
     */
    public record Stage(
            @JsonProperty("stage") int stage,
            @JsonProperty("surrogate") String surrogate,
            @JsonProperty("surrogate_path") String surrogatePath,
            @JsonProperty("gate") String gate,
            @JsonProperty("gate_path") String gatePath,
            @JsonProperty("threshold") double threshold,
            /** A portable (Spark-free) export of the stage, relative to the version dir; may be null. */
            @JsonProperty("portable_path") String portablePath) {
        public Stage {
            require(stage >= 0, "stages[].stage must be non-negative, was " + stage);
            requireText(surrogate, "stages[" + stage + "].surrogate");
            // A global stage accepts every row: it has no gate, and then no gate path either.
            require((gate == null) == (gatePath == null),
                    "stages[" + stage + "].gate and gate_path must be both set or both absent");
            if (gate != null) {
                requireText(gate, "stages[" + stage + "].gate");
            }
            requireRelative(surrogatePath, "stages[" + stage + "].surrogate_path");
            if (gatePath != null) {
                requireRelative(gatePath, "stages[" + stage + "].gate_path");
            }
            if (portablePath != null) {
                requireRelative(portablePath, "stages[" + stage + "].portable_path");
            }
            require(!Double.isNaN(threshold), "stages[" + stage + "].threshold must be a number");
        }
    }

    /** The calibration-split evidence behind the guarantee. */
    public record Certification(
            @JsonProperty("threshold") double threshold,
            @JsonProperty("accepted") long accepted,
            @JsonProperty("agreeing") long agreeing,
            @JsonProperty("calibration_rows") long calibrationRows,
            @JsonProperty("coverage") double coverage,
            @JsonProperty("agreement") double agreement,
            @JsonProperty("lower_bound") double lowerBound,
            @JsonProperty("p_value") double pValue) {
        public Certification {
            require(accepted >= 0 && agreeing >= 0 && agreeing <= accepted && accepted <= calibrationRows,
                    "certification counts must satisfy 0 <= agreeing <= accepted <= calibration_rows, were "
                            + agreeing + ", " + accepted + ", " + calibrationRows);
        }
    }

    /**
     * The out-of-distribution gate the policy was certified with ({@code io.tracer.ood.OodGate}):
     * routing defers a row farther from its predicted label's train centroid than that label's
     * threshold. A fit with the gate off publishes {@code {"enabled": false}} ({@link #disabled()}).
     *
     * <p>Every field may be absent (null) in a manifest and null fields are not written, so the
     * JSON is exactly the open map v1 wrote; the readers ({@code OodGate.fromManifest},
     * the Spark-free router) check what they need. Unknown fields are ignored, as they were when
     * this entry was an untyped map (the checked-in v1 fixture carries a {@code threshold}).
     *
     * @param enabled         true when the gate applies; absent or false: no gate
     * @param metric          the distance ({@code OodGate.METRIC})
     * @param quantile        the train quantile the thresholds were measured at
     * @param minLabelRows    labels predicted on fewer train rows use the global threshold
     * @param globalThreshold the quantile over all train rows
     * @param labelThresholds one distance threshold per label, label-index order (-1: no train row;
     *                        a non-finite value is written as a string, "NaN" or "Infinity")
     * @param labelRows       train rows predicted as each label
     * @param centroidsPath   the centroids file, relative to the version directory
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ood(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("metric") String metric,
            @JsonProperty("quantile") Double quantile,
            @JsonProperty("min_label_rows") Integer minLabelRows,
            @JsonProperty("global_threshold") Double globalThreshold,
            @JsonProperty("label_thresholds") List<Double> labelThresholds,
            @JsonProperty("label_rows") List<Long> labelRows,
            @JsonProperty("centroids_path") String centroidsPath) {
        public Ood {
            // Not List.copyOf: a null element is the reader's to refuse, with its own message.
            labelThresholds = labelThresholds == null ? null : Collections.unmodifiableList(new ArrayList<>(labelThresholds));
            labelRows = labelRows == null ? null : Collections.unmodifiableList(new ArrayList<>(labelRows));
        }

        /** The entry of a deployed policy whose fit ran with the gate off. */
        public static Ood disabled() {
            return new Ood(false, null, null, null, null, null, null, null);
        }

        /** True when routing applies the gate ({@code enabled} is present and true). */
        public boolean active() {
            return Boolean.TRUE.equals(enabled);
        }
    }

    /** Where the traces came from; {@code deltaVersion} is null unless they were a Delta table. */
    public record Traces(@JsonProperty("uri") String uri, @JsonProperty("delta_version") Long deltaVersion) {
        public Traces {
            requireText(uri, "traces.uri");
        }
    }

    public PolicyManifest {
        require(schemaVersion == SCHEMA_VERSION, "schema_version " + schemaVersion
                + " is not supported; this build reads schema_version " + SCHEMA_VERSION);
        requireText(runId, "run_id");
        requireText(createdAt, "created_at");
        try {
            Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            throw new BadInputException("policy manifest: created_at must be an ISO-8601 instant, was " + createdAt);
        }
        require(method != null, "method must be one of global, l2d, rsb, none");
        require(target > 0 && target < 1, "target must be in (0, 1), was " + target);
        require(delta > 0 && delta < 1, "delta must be in (0, 1), was " + delta);
        require(labels != null, "labels must be present");
        labels = List.copyOf(labels);
        require(encoder != null, "encoder must be present");
        stages = stages == null ? List.of() : List.copyOf(stages);
        require(traces != null, "traces must be present");
        if (method == Method.NONE) {
            requireText(reason, "reason (why no policy is deployed)");
            require(stages.isEmpty(), "a policy with method none has no stages");
        } else {
            require(!stages.isEmpty(), "a policy with method " + method.name().toLowerCase() + " needs stages");
            require(certification != null, "a policy with method " + method.name().toLowerCase()
                    + " needs its certification");
            require(!labels.isEmpty(), "labels must not be empty");
        }
    }

    /** This manifest as indented JSON. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise policy manifest of run " + runId, e);
        }
    }

    /**
     * Reads a manifest, refusing any schema_version but {@link #SCHEMA_VERSION} before looking at
     * the other fields (a future version may have changed them).
     *
     * @param source where the JSON came from, for the error message
     */
    public static PolicyManifest fromJson(String json, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException("policy manifest " + source + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new BadInputException("policy manifest " + source + " is not a JSON object");
        }
        JsonNode version = tree.get("schema_version");
        if (version == null || !version.canConvertToInt()) {
            throw new BadInputException("policy manifest " + source + " has no integer schema_version; "
                    + "this build reads schema_version " + SCHEMA_VERSION);
        }
        if (version.intValue() != SCHEMA_VERSION) {
            throw new BadInputException("policy manifest " + source + " has schema_version " + version.intValue()
                    + "; this build reads only schema_version " + SCHEMA_VERSION
                    + " (use a tracer release that supports it)");
        }
        try {
            return MAPPER.treeToValue(tree, PolicyManifest.class);
        } catch (JsonProcessingException e) {
            // The records' own validation throws BadInputException; Jackson wraps it, perhaps twice.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BadInputException bad) {
                    throw new BadInputException(bad.getMessage().replaceFirst("^policy manifest",
                            "policy manifest " + source), e);
                }
            }
            throw new BadInputException("policy manifest " + source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The current instant in the manifest's {@code created_at} form. */
    public static String now() {
        return Instant.now().toString();
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new BadInputException("policy manifest: " + why);
        }
    }

    private static void requireText(String value, String field) {
        require(value != null && !value.isBlank(), field + " must not be blank");
    }

    private static void requireRelative(String path, String field) {
        require(path != null && RELATIVE_PATH.matcher(path).matches() && !path.contains(".."),
                field + " must be a path relative to the version directory (letters, digits, . _ - and /), was "
                        + path);
    }
}
