package io.tracer.serve;

/**
 * Names of the portable export a fit writes beside the MLlib models of each policy stage: a
 * directory holding {@link #MODEL_FILE} (JSON: the surrogate and its gate as numeric arrays)
 * and, for XGBoost models, the booster's native model file. Shared by the Spark-side writer
 * ({@code io.tracer.policy.export}) and the router, so the two cannot drift apart.
 */
public final class PortableFormat {
    private PortableFormat() {}

    /** Bumped when the layout changes; the router refuses versions it does not know. */
    public static final int FORMAT_VERSION = 1;
    public static final String MODEL_FILE = "portable.json";
    public static final String SURROGATE_BOOSTER = "surrogate.xgb";
    public static final String GATE_BOOSTER = "gate.xgb";

    public static final String FORMAT = "format_version";
    public static final String SURROGATE = "surrogate";
    public static final String GATE = "gate";
    public static final String KIND = "kind";
    public static final String NAME = "name";

    /** Surrogate kinds. */
    public static final String LOGISTIC = "logistic";
    public static final String MLP = "mlp";
    public static final String NAIVE_BAYES = "naive_bayes";
    public static final String TREES = "trees";
    public static final String XGBOOST = "xgboost";

    /** Gate kinds ({@link #LOGISTIC} and {@link #XGBOOST} are shared with the surrogates). */
    public static final String TOP1 = "top1";
    /** A trained gate whose agree label had one value: field {@code value}, the score of every row. */
    public static final String CONSTANT = "constant";

    /** The gate's confidence features in assembly order (io.tracer.gate.ConfidenceFeatures.ALL). */
    public static final java.util.List<String> CONFIDENCE_INPUTS =
            java.util.List.of("conf_top1", "conf_top2", "conf_margin", "conf_entropy");
    /**
     * The gates' neighbour input ({@link NeighbourPurity}), after the confidence features when the
     * gate has one; its reference is the gate's {@link #NEIGHBOURS} section and file.
     */
    public static final String NEIGHBOUR_INPUT = "neighbour_purity";
    public static final String NEIGHBOURS = "neighbours";
    public static final String GATE_NEIGHBOURS_FILE = "gate-neighbours.f32";
    /** The embedding's feature vector column, the boosted gate's last input. */
    public static final String FEATURES_INPUT = "features";

    /**
     * A trained gate's inputs in assembly order: the confidence features, the neighbour input
     * when the gate has one, the embedding for the boosted gate.
     */
    public static java.util.List<String> gateInputs(boolean neighbours, boolean embedding) {
        java.util.List<String> inputs = new java.util.ArrayList<>(CONFIDENCE_INPUTS);
        if (neighbours) {
            inputs.add(NEIGHBOUR_INPUT);
        }
        if (embedding) {
            inputs.add(FEATURES_INPUT);
        }
        return java.util.List.copyOf(inputs);
    }
}
