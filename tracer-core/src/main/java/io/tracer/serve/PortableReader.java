package io.tracer.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.kernel.DenseMath;
import io.tracer.kernel.DenseMaths;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a stage's models from its portable export ({@link PortableFormat}), as read into a
 * {@link PortablePolicy.Stage}. Refuses, by name, a format version or a model kind it does not know.
 */
final class PortableReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Configuration conf;

    PortableReader(Configuration conf) {
        this.conf = conf;
    }

    /** The surrogate and gate of the export under {@code dirUri}, on this JVM's best {@link DenseMath}. */
    PortableStage read(int number, String dirUri, double threshold, int numLabels, int dim) {
        return read(PortablePolicy.readStage(number, threshold, dirUri, conf), numLabels, dim, DenseMaths.best());
    }

    /** The surrogate and gate of one stage's export, computing with {@code math}. */
    static PortableStage read(PortablePolicy.Stage stage, int numLabels, int dim, DenseMath math) {
        String dirUri = stage.source();
        JsonNode root;
        try {
            root = JSON.readTree(file(stage, PortableFormat.MODEL_FILE));
        } catch (IOException e) {
            throw new RouterException("portable export " + dirUri + ": " + PortableFormat.MODEL_FILE
                    + " is not valid JSON: " + e.getMessage(), e);
        }
        int version = root.path(PortableFormat.FORMAT).asInt(-1);
        if (version != PortableFormat.FORMAT_VERSION) {
            throw new RouterException("portable export " + dirUri + " has format version " + version
                    + "; this router reads " + PortableFormat.FORMAT_VERSION);
        }
        PortableSurrogate surrogate = surrogate(root.path(PortableFormat.SURROGATE), stage, numLabels, dim, math);
        JsonNode g = root.path(PortableFormat.GATE);
        Gate gate = g.isMissingNode() || g.isNull() ? null : gate(g, stage, numLabels, dim);
        return new PortableStage(stage.number(), surrogate, gate, stage.threshold());
    }

    private static PortableSurrogate surrogate(JsonNode s, PortablePolicy.Stage stage, int numLabels, int dim,
                                               DenseMath math) {
        String dir = stage.source();
        String kind = s.path(PortableFormat.KIND).asText("");
        int features = s.path("num_features").asInt(-1);
        if (features != dim) {
            throw new RouterException("portable export " + dir + ": surrogate reads " + features
                    + " features but the policy's encoder produces " + dim);
        }
        Classifier model = switch (kind) {
            case PortableFormat.LOGISTIC -> new LogisticModel(matrix(s.path("coefficients")),
                    vector(s.path("intercepts")), math);
            case PortableFormat.MLP -> mlp(s, math);
            case PortableFormat.NAIVE_BAYES -> new GaussianNbModel(vector(s.path("pi")), matrix(s.path("theta")),
                    matrix(s.path("sigma")), math);
            case PortableFormat.TREES -> trees(s, dim);
            case PortableFormat.XGBOOST -> new XgbClassifier(
                    XgbBooster.load(file(stage, s.path("file").asText()), dim, dir + "/" + s.path("file").asText()),
                    s.path("num_classes").asInt());
            default -> throw new RouterException("portable export " + dir + ": surrogate kind '" + kind
                    + "' is not supported by this router");
        };
        int[] classes = s.path("classes").isArray() ? ints(s.path("classes")) : null;
        int outputs = classes == null ? numLabels : classes.length;
        if (model.outputs() != outputs) {
            throw new RouterException("portable export " + dir + ": surrogate has " + model.outputs()
                    + " outputs, expected " + outputs + " (labels in the manifest: " + numLabels + ")");
        }
        return new PortableSurrogate(s.path(PortableFormat.NAME).asText(), model, classes, numLabels);
    }

    /**
     * MLlib's flat MLP weight vector: for each layer in order, the out x in weight matrix in
     * column-major order followed by the out biases (FeedForwardTopology's AffineLayerModel).
     */
    private static MlpModel mlp(JsonNode s, DenseMath math) {
        int[] layers = ints(s.path("layers"));
        double[] flat = vector(s.path("weights"));
        double[][][] w = new double[layers.length - 1][][];
        double[][] b = new double[layers.length - 1][];
        int offset = 0;
        for (int l = 0; l + 1 < layers.length; l++) {
            int in = layers[l];
            int out = layers[l + 1];
            w[l] = new double[out][in];
            for (int j = 0; j < in; j++) {
                for (int i = 0; i < out; i++) {
                    w[l][i][j] = flat[offset + j * out + i];
                }
            }
            offset += in * out;
            b[l] = java.util.Arrays.copyOfRange(flat, offset, offset + out);
            offset += out;
        }
        if (offset != flat.length) {
            throw new RouterException("mlp export: layers " + java.util.Arrays.toString(layers) + " need "
                    + offset + " weights, the export has " + flat.length);
        }
        JsonNode mean = s.path("scaler_mean");
        return new MlpModel(mean.isArray() ? vector(mean) : null,
                mean.isArray() ? vector(s.path("scaler_std")) : null, w, b, math);
    }

    private static TreeEnsembleModel trees(JsonNode s, int dim) {
        List<TreeEnsembleModel.Tree> trees = new ArrayList<>();
        for (JsonNode t : s.path("trees")) {
            JsonNode classes = t.path("leaf_classes");
            JsonNode counts = t.path("leaf_counts");
            int[][] leafClasses = new int[classes.size()][];
            double[][] leafCounts = new double[counts.size()][];
            for (int i = 0; i < leafClasses.length; i++) {
                leafClasses[i] = ints(classes.get(i));
                leafCounts[i] = vector(counts.get(i));
            }
            trees.add(new TreeEnsembleModel.Tree(ints(t.path("feature")), vector(t.path("threshold")),
                    ints(t.path("left")), ints(t.path("right")), leafClasses, leafCounts));
        }
        return new TreeEnsembleModel(s.path("forest").asBoolean(), s.path("num_classes").asInt(), dim, trees);
    }

    private static Gate gate(JsonNode g, PortablePolicy.Stage stage, int numLabels, int dim) {
        String dir = stage.source();
        String kind = g.path(PortableFormat.KIND).asText("");
        List<String> inputs = new ArrayList<>();
        g.path("inputs").forEach(n -> inputs.add(n.asText()));
        switch (kind) {
            case PortableFormat.TOP1:
                return Gate.TOP1;
            case PortableFormat.CONSTANT: {
                double value = number(g.path("value"));
                if (!(value >= 0 && value <= 1)) {
                    throw new RouterException("portable export " + dir + ": constant gate value " + g.path("value")
                            + " is not in [0, 1]");
                }
                return Gate.constant(value);
            }
            case PortableFormat.LOGISTIC: {
                NeighbourPurity neighbours = neighbours(g, stage, numLabels, dim);
                requireInputs(inputs, PortableFormat.gateInputs(neighbours != null, false), dir);
                return new LogisticGate(vector(g.path("coefficients")), g.path("intercept").asDouble(), neighbours);
            }
            case PortableFormat.XGBOOST: {
                NeighbourPurity neighbours = neighbours(g, stage, numLabels, dim);
                List<String> expected = PortableFormat.gateInputs(neighbours != null, true);
                requireInputs(inputs, expected, dir);
                String file = g.path("file").asText();
                return new BoostedGate(XgbBooster.load(file(stage, file), expected.size() - 1 + dim,
                        dir + "/" + file), neighbours);
            }
            default:
                throw new RouterException("portable export " + dir + ": gate kind '" + kind
                        + "' is not supported by this router");
        }
    }

    /** The gate's neighbour reference, or null when it has none. */
    private static NeighbourPurity neighbours(JsonNode g, PortablePolicy.Stage stage, int numLabels, int dim) {
        JsonNode d = g.path(PortableFormat.NEIGHBOURS);
        if (d.isMissingNode() || d.isNull()) {
            return null;
        }
        String file = d.path(NeighbourPurity.FILE).asText();
        NeighbourPurity n = NeighbourPurity.read(d, file(stage, file), "portable export " + stage.source());
        if (n.dim() != dim) {
            throw new RouterException("portable export " + stage.source() + ": the gate's neighbour reference has "
                    + n.dim() + " dimensions but the policy's encoder produces " + dim);
        }
        if (n.numLabels() != numLabels) {
            throw new RouterException("portable export " + stage.source() + ": the gate's neighbour reference knows "
                    + n.numLabels() + " labels but the policy has " + numLabels);
        }
        return n;
    }

    private static void requireInputs(List<String> inputs, List<String> expected, String dir) {
        if (!inputs.equals(expected)) {
            throw new RouterException("portable export " + dir + ": gate reads " + inputs + ", this router computes "
                    + expected);
        }
    }

    private static byte[] file(PortablePolicy.Stage stage, String name) {
        byte[] content = stage.files().get(name);
        if (content == null) {
            throw new RouterException("portable export file " + stage.source() + "/" + name + " does not exist");
        }
        return content;
    }

    private static double[] vector(JsonNode n) {
        if (!n.isArray()) {
            throw new RouterException("portable export: expected a numeric array, found " + n.getNodeType());
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(n.get(i));
        }
        return out;
    }

    /** Non-finite values travel as the strings "NaN", "Infinity", "-Infinity". */
    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    private static double[][] matrix(JsonNode n) {
        double[][] out = new double[n.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(n.get(i));
        }
        return out;
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }
}
