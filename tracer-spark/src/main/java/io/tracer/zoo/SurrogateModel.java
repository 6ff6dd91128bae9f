package io.tracer.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.TracerException;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * A fitted surrogate: the MLlib pipeline, the spec it came from and the label space it predicts
 * over. Saved as a directory: {@code pipeline/} (MLlib's own format, XGBoost included) and
 * {@code surrogate.json} (format version, spec, labels).
 */
public final class SurrogateModel {
    /** Bumped when the saved layout changes; {@link #load} refuses versions it does not know. */
    public static final int FORMAT_VERSION = 1;

    private final SurrogateSpec spec;
    private final LabelIndex labels;
    private final PipelineModel pipeline;
    /** Label index of each model output, when the model only knows the labels it saw (else null). */
    private final int[] classes;

    public SurrogateModel(SurrogateSpec spec, LabelIndex labels, PipelineModel pipeline) {
        this(spec, labels, pipeline, null);
    }

    /**
     * @param classes the label index of each of the model's outputs, for a model that sizes its
     *                output to the labels it saw (gaussian naive Bayes); null when the model already
     *                predicts over the whole label space
     */
    public SurrogateModel(SurrogateSpec spec, LabelIndex labels, PipelineModel pipeline, int[] classes) {
        this.spec = spec;
        this.labels = labels;
        this.pipeline = pipeline;
        this.classes = classes == null ? null : classes.clone();
    }

    /**
     * The label index of each model output, for a model that only knows the labels it saw (a copy);
     * empty when the model's outputs already are the label space. The portable export needs it.
     */
    public java.util.Optional<int[]> classes() {
        return classes == null ? java.util.Optional.empty() : java.util.Optional.of(classes.clone());
    }

    /**
     * Wraps a freshly fitted pipeline. Most MLlib classifiers size their output from the label
     * column's metadata; naive Bayes keeps only the labels it saw, so its outputs are mapped back
     * onto the whole label space (the labels seen are a small aggregate of the training rows).
     */
    static SurrogateModel fitted(SurrogateSpec spec, LabelIndex labels, PipelineModel pipeline,
                                 Dataset<Row> trainingRows) {
        int outputs = outputSize(pipeline);
        if (outputs == labels.size()) {
            return new SurrogateModel(spec, labels, pipeline);
        }
        List<Row> seen = trainingRows.select(Columns.LABEL_INDEX).distinct().orderBy(Columns.LABEL_INDEX)
                .collectAsList();
        if (seen.size() != outputs) {
            throw new TracerException("surrogate " + spec.name() + ": model has " + outputs
                    + " outputs but the training rows have " + seen.size() + " labels");
        }
        int[] classes = new int[outputs];
        for (int i = 0; i < outputs; i++) {
            classes[i] = (int) seen.get(i).getDouble(0);
        }
        return new SurrogateModel(spec, labels, pipeline, classes);
    }

    private static int outputSize(PipelineModel pipeline) {
        org.apache.spark.ml.Transformer last = pipeline.stages()[pipeline.stages().length - 1];
        if (last instanceof org.apache.spark.ml.classification.ClassificationModel<?, ?> c) {
            return c.numClasses();
        }
        throw new TracerException("surrogate pipeline does not end in a classifier: " + last);
    }

    public SurrogateSpec spec() {
        return spec;
    }

    public LabelIndex labels() {
        return labels;
    }

    public PipelineModel pipeline() {
        return pipeline;
    }

    /**
     * Adds {@link Columns#PROBABILITY} (a vector of size K) and {@link Columns#PREDICTION} (double
     * label index), replacing any earlier ones; builds {@link Columns#FEATURES} from the embedding
     * when the rows lack it. The pipeline's internal columns are dropped.
     */
    public Dataset<Row> predict(Dataset<Row> rows) {
        Dataset<Row> in = Features.ensure(rows).drop(Columns.PROBABILITY, Columns.PREDICTION);
        Dataset<Row> out = pipeline.transform(in);
        if (classes != null) {
            out = expand(out);
        }
        List<String> tmp = new ArrayList<>();
        for (String c : out.columns()) {
            if (c.startsWith(SurrogatePipelines.TMP_PREFIX)) {
                tmp.add(c);
            }
        }
        return out.drop(tmp.toArray(new String[0]));
    }

    /** Spreads a model's outputs over the whole label space: unseen labels get probability 0. */
    private Dataset<Row> expand(Dataset<Row> out) {
        Column known = lit(classes);
        Column p = vector_to_array(col(Columns.PROBABILITY), "float64");
        Column full = transform(sequence(lit(0), lit(labels.size() - 1)),
                i -> when(array_contains(known, i), element_at(p, array_position(known, i).cast("int")))
                        .otherwise(lit(0.0)));
        return out.withColumn(Columns.PROBABILITY, array_to_vector(full))
                .withColumn(Columns.PREDICTION,
                        element_at(known, col(Columns.PREDICTION).cast("int").plus(1)).cast("double"));
    }

    /** {@link #predict} followed by {@link #addAgree}: the rows need {@link Columns#LABEL_INDEX}. */
    public Dataset<Row> predictWithAgree(Dataset<Row> rows) {
        return addAgree(predict(rows));
    }

    /** Adds {@link Columns#AGREE}: 1.0 where the prediction equals the teacher's index, else 0.0. */
    public static Dataset<Row> addAgree(Dataset<Row> predicted) {
        return predicted.withColumn(Columns.AGREE,
                when(col(Columns.PREDICTION).equalTo(col(Columns.LABEL_INDEX)), lit(1.0)).otherwise(lit(0.0)));
    }

    /** Saves to a Hadoop URI, overwriting what is there. */
    public void save(String uri) {
        try {
            pipeline.write().overwrite().save(ModelFiles.child(uri, "pipeline"));
        } catch (IOException e) {
            throw new TracerException("cannot save surrogate " + spec.name() + " to " + uri + ": " + e.getMessage(), e);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("formatVersion", FORMAT_VERSION);
        meta.put("name", spec.name());
        meta.put("kind", spec.kind().name());
        meta.put("params", spec.params());
        meta.put("labels", labels.labels());
        meta.put("classes", classes);
        ModelFiles.writeJson(ModelFiles.child(uri, "surrogate.json"), meta);
    }

    /** Loads a surrogate saved by {@link #save}; uses the active SparkSession. */
    public static SurrogateModel load(String uri) {
        JsonNode meta = ModelFiles.readJson(ModelFiles.child(uri, "surrogate.json"));
        int version = meta.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new BadInputException("surrogate at " + uri + ": format version " + version
                    + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        Map<String, String> params = new TreeMap<>();
        meta.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        SurrogateSpec spec = new SurrogateSpec(meta.path("name").asText(),
                SurrogateSpec.Kind.valueOf(meta.path("kind").asText()), params);
        List<String> labels = new ArrayList<>();
        meta.path("labels").forEach(n -> labels.add(n.asText()));
        int[] classes = null;
        if (meta.path("classes").isArray()) {
            classes = new int[meta.path("classes").size()];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = meta.path("classes").get(i).asInt();
            }
        }
        PipelineModel pipeline = XgboostRepair.restoreNumClasses(
                PipelineModel.load(ModelFiles.child(uri, "pipeline")));
        return new SurrogateModel(spec, new LabelIndex(labels), pipeline, classes);
    }

    @Override
    public String toString() {
        return "SurrogateModel[" + spec.name() + ", K=" + labels.size() + ", stages="
                + Arrays.toString(pipeline.stages()) + "]";
    }
}
