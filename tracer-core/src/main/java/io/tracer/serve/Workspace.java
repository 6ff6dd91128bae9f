package io.tracer.serve;

/**
 * Scratch arrays a thread reuses from block to block, so routing a block allocates next to
 * nothing (a 1,024 x 384 block widened to double is 3 MB). Each use has its own slot; an array
 * only grows. Not thread-safe: one per thread (see {@link BlockRouter}).
 */
final class Workspace {
    /** The block's rows widened to double. */
    static final int ROWS = 0;
    /** The rows the second stage of a cascade scores, and their widening. */
    static final int SUBSET = 1;
    /** The MLP's scaled input and its two alternating layer outputs. */
    static final int SCALED = 2;
    static final int LAYER_A = 3;
    static final int LAYER_B = 4;
    /** A surrogate's own outputs before they are spread over the label space. */
    static final int MODEL_OUTPUTS = 5;
    /** Probabilities over the label space, per stage. */
    static final int PROBABILITY_1 = 6;
    static final int PROBABILITY_2 = 7;
    /** Gate scores, per stage. */
    static final int SCORE_1 = 8;
    static final int SCORE_2 = 9;
    /** Predicted label index, per stage. */
    static final int PREDICTION_1 = 10;
    static final int PREDICTION_2 = 11;
    /** Unscorable reasons, per stage. */
    static final int UNSCORABLE_1 = 12;
    static final int UNSCORABLE_2 = 13;
    /** The boosted gate's float input, and the OOD distances. */
    static final int GATE_INPUT = 14;
    static final int DISTANCE = 15;
    /** Rows routed by the second stage (indices into the first stage's rows). */
    static final int SECOND = 16;
    /** Rows the boosted gate passes to XGBoost. */
    static final int GATE_ROWS = 17;
    /** One normalised row, for the gates' neighbour input. */
    static final int NEIGHBOUR_QUERY = 18;
    private static final int SLOTS = 19;

    private final double[][] doubles = new double[SLOTS][];
    private final float[][] floats = new float[SLOTS][];
    private final int[][] ints = new int[SLOTS][];
    private final String[][] strings = new String[SLOTS][];

    double[] doubles(int slot, int size) {
        double[] a = doubles[slot];
        if (a == null || a.length < size) {
            a = new double[size];
            doubles[slot] = a;
        }
        return a;
    }

    float[] floats(int slot, int size) {
        float[] a = floats[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            floats[slot] = a;
        }
        return a;
    }

    int[] ints(int slot, int size) {
        int[] a = ints[slot];
        if (a == null || a.length < size) {
            a = new int[size];
            ints[slot] = a;
        }
        return a;
    }

    /** Nulled up to {@code size}: a reason is only written where a row is unscorable. */
    String[] clearedStrings(int slot, int size) {
        String[] a = strings[slot];
        if (a == null || a.length < size) {
            a = new String[size];
            strings[slot] = a;
        } else {
            java.util.Arrays.fill(a, 0, size, null);
        }
        return a;
    }
}
