package io.tracer.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.TracerException;
import io.tracer.zoo.ModelFiles;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

/**
 * A fitted gate: adds {@link Columns#ACCEPT_SCORE} in [0, 1], higher = more likely to agree with
 * the teacher. "top1" is the raw top-1 probability and has no model; trained gates hold an MLlib
 * pipeline whose probability of class 1 (agree) is the score. A trained gate whose agree label had
 * one value only (the surrogate agreed on every row, or on none) is constant: it scores that
 * observed share on every row, as there is nothing to learn. Saved as a directory:
 * {@code gate.json} (format version, name, the constant if any, the neighbour reference's
 * description if any), for trained gates {@code pipeline/}, and the neighbour reference's file.
 */
public final class GateModel {
    /** gate.json of a top1 or fitted gate; what builds before constant gates read. */
    public static final int FORMAT_VERSION = 1;
    /**
     * gate.json of a constant gate. A separate version so a build that does not know constant
     * gates refuses one by its version instead of reading it as top1 (no pipeline).
     */
    public static final int CONSTANT_FORMAT_VERSION = 2;
    /**
     * gate.json of a trained gate with a neighbour input: its {@code neighbours} section and the
     * reference file beside it. A separate version so a build that does not know the input
     * refuses the gate instead of scoring it with one input missing.
     */
    public static final int NEIGHBOURS_FORMAT_VERSION = 3;
    /** Prefix of the gate pipeline's internal columns, dropped after scoring. */
    static final String TMP_PREFIX = "_gate_";
    static final String PROBABILITY = TMP_PREFIX + "probability";

    private final String name;
    private final PipelineModel pipeline;
    /** The score of every row for a constant gate, else null. */
    private final Double constant;
    /** The neighbour input's reference when the pipeline reads {@link NeighbourReference#COLUMN}, else null. */
    private final NeighbourReference neighbours;

    GateModel(String name, PipelineModel pipeline) {
        this(name, pipeline, null, null);
    }

    GateModel(String name, PipelineModel pipeline, NeighbourReference neighbours) {
        this(name, pipeline, null, neighbours);
    }

    private GateModel(String name, PipelineModel pipeline, Double constant, NeighbourReference neighbours) {
        this.name = name;
        this.pipeline = pipeline;
        this.constant = constant;
        this.neighbours = neighbours;
    }

    /** A gate that scores {@code share} (the observed agree share, in [0, 1]) on every row. */
    static GateModel constant(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("constant gate score must be in [0, 1], was " + share);
        }
        return new GateModel(name, null, share, null);
    }

    /** The neighbour input's reference, when the gate reads one. */
    public Optional<NeighbourReference> neighbours() {
        return Optional.ofNullable(neighbours);
    }

    public String name() {
        return name;
    }

    public Optional<PipelineModel> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    /** The score of every row when this is a constant gate (see the class comment). */
    public java.util.OptionalDouble constantScore() {
        return constant == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(constant);
    }

    /**
     * Adds the confidence features and {@link Columns#ACCEPT_SCORE} (replacing an earlier score).
     * The rows need {@link Columns#PROBABILITY} and, for the boosted gate and a gate with a
     * neighbour input, {@link Columns#FEATURES}.
     */
    public Dataset<Row> score(Dataset<Row> withProbabilityAndFeatures) {
        Dataset<Row> in = ConfidenceFeatures.add(withProbabilityAndFeatures.drop(Columns.ACCEPT_SCORE));
        if (constant != null) {
            return in.withColumn(Columns.ACCEPT_SCORE, lit(constant.doubleValue()));
        }
        if (pipeline == null) {
            return in.withColumn(Columns.ACCEPT_SCORE, col(ConfidenceFeatures.TOP1));
        }
        if (neighbours != null) {
            in = neighbours.add(in);
        }
        Dataset<Row> out = pipeline.transform(in)
                .withColumn(Columns.ACCEPT_SCORE, element_at(vector_to_array(col(PROBABILITY), "float64"), 2));
        List<String> tmp = new ArrayList<>();
        if (neighbours != null) {
            tmp.add(NeighbourReference.COLUMN);
        }
        for (String c : out.columns()) {
            if (c.startsWith(TMP_PREFIX)) {
                tmp.add(c);
            }
        }
        return out.drop(tmp.toArray(new String[0]));
    }

    public void save(String uri) {
        if (pipeline != null) {
            try {
                pipeline.write().overwrite().save(ModelFiles.child(uri, "pipeline"));
            } catch (IOException e) {
                throw new TracerException("cannot save gate " + name + " to " + uri + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("formatVersion", constant != null ? CONSTANT_FORMAT_VERSION
                : neighbours != null ? NEIGHBOURS_FORMAT_VERSION : FORMAT_VERSION);
        meta.put("name", name);
        meta.put("trained", pipeline != null);
        if (constant != null) {
            meta.put("constant", constant);
        }
        if (neighbours != null) {
            neighbours.save(uri);
            meta.put("neighbours", neighbours.describe());
        }
        ModelFiles.writeJson(ModelFiles.child(uri, "gate.json"), meta);
    }

    /** Loads a gate saved by {@link #save}; uses the active SparkSession. */
    public static GateModel load(String uri) {
        JsonNode meta = ModelFiles.readJson(ModelFiles.child(uri, "gate.json"));
        int version = meta.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION && version != CONSTANT_FORMAT_VERSION && version != NEIGHBOURS_FORMAT_VERSION) {
            throw new BadInputException("gate at " + uri + ": format version " + version + " is not supported (this "
                    + "build reads " + FORMAT_VERSION + ", " + CONSTANT_FORMAT_VERSION + " and "
                    + NEIGHBOURS_FORMAT_VERSION + ")");
        }
        if (version == CONSTANT_FORMAT_VERSION) {
            JsonNode c = meta.path("constant");
            if (!c.isNumber()) {
                throw new BadInputException("gate at " + uri + ": a constant gate without a numeric constant");
            }
            return constant(meta.path("name").asText(), c.asDouble());
        }
        PipelineModel p = meta.path("trained").asBoolean()
                ? PipelineModel.load(ModelFiles.child(uri, "pipeline")) : null;
        NeighbourReference n = null;
        if (version == NEIGHBOURS_FORMAT_VERSION) {
            if (p == null) {
                throw new BadInputException("gate at " + uri + ": a neighbour input without a trained pipeline");
            }
            n = NeighbourReference.load(uri, meta.path("neighbours"));
        }
        return new GateModel(meta.path("name").asText(), p, n);
    }

    @Override
    public String toString() {
        return "GateModel[" + name + (constant == null ? "" : ", constant " + constant)
                + (neighbours == null ? "" : ", " + neighbours) + "]";
    }
}
