package io.tracer;

/**
 * Canonical column names shared by every stage. A trace table is normalised to these
 * names on read, so later stages never deal with the user's aliases.
 */
public final class Columns {
    private Columns() {}

    /** Stable trace id (string): the user's, or derived from the content when missing. */
    public static final String TRACE_ID = "trace_id";
    /** The input text sent to the teacher. */
    public static final String INPUT = "input";
    /** The teacher's label (string). */
    public static final String TEACHER = "teacher";
    /** Optional trace time. */
    public static final String TIMESTAMP = "ts";
    /** Optional human ground-truth label. */
    public static final String GROUND_TRUTH = "ground_truth";
    /** Embedding as array&lt;float&gt;; its field metadata carries the encoder id and dimension. */
    public static final String EMBEDDING = "embedding";

    /** Where a row came from, when the reader knows it (file path, 1-based line). */
    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_LINE = "source_line";

    /** Quarantine reason. */
    public static final String REASON = "reason";

    /** train / selection / calibration. */
    public static final String SPLIT = "split";
    public static final String TRAIN = "train";
    public static final String SELECTION = "selection";
    public static final String CALIBRATION = "calibration";
    /** Cross-validation fold (int, 0..k-1) of a train row. */
    public static final String FOLD = "fold";

    /** MLlib feature vector built from {@link #EMBEDDING}. */
    public static final String FEATURES = "features";
    /** Teacher label as a double index in the run's {@code LabelIndex} order. */
    public static final String LABEL_INDEX = "label_index";
    /** MLlib class-probability vector over the whole label space. */
    public static final String PROBABILITY = "probability";
    /** Predicted label index (double). */
    public static final String PREDICTION = "prediction";
    /** 1.0 when the surrogate's prediction equals the teacher's label, else 0.0. */
    public static final String AGREE = "agree";
    /** Gate output in [0, 1]: higher means more likely to agree with the teacher. */
    public static final String ACCEPT_SCORE = "accept_score";
}
