package io.tracer.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A gate input that knows where the surrogate is wrong: among the reference rows (a bounded,
 * per-label sample of train rows with their teacher labels) whose label is one of the
 * surrogate's top {@code m} labels for the query, the share of the {@code k} nearest by cosine
 * whose label is the surrogate's top-1 label. 1 means the query sits among rows of the label the
 * surrogate gives; 0 means its neighbours carry the runner-ups' labels.
 *
 * <p>Restricting the search to the top {@code m} labels' rows bounds the cost of a query by
 * {@code m x cap x dim} multiply-adds whatever the size of the trace table (on Banking77 about
 * 300 rows of 384 dimensions). Measured on B1 over five seeds, 5 neighbours among the top 3
 * labels' rows certified more coverage at 0.95 and 0.98 on every seed than the four confidence
 * features alone, and more at 0.98 than searching every train row (README, B1).
 *
 * <p>Spark and the Spark-free router both compute it here, in scalar float arithmetic in one
 * fixed order, so the two get the same bits. Ties go to the lower index: among labels of equal
 * probability, and among reference rows of equal similarity.
 */
public final class NeighbourPurity implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Field names of {@link #describe}. */
    public static final String K = "k";
    public static final String TOP_LABELS = "top_labels";
    public static final String NUM_LABELS = "num_labels";
    public static final String DIM = "dim";
    public static final String ROWS = "rows";
    public static final String FILE = "file";
    public static final String LABELS = "labels";

    private final float[] reference;
    private final int[] labels;
    private final int[][] rowsOfLabel;
    private final int numLabels;
    private final int dim;
    private final int k;
    private final int topLabels;

    /**
     * @param reference n x dim values, row-major, each row L2-normalised (a zero row stays zero)
     * @param labels    n label indices in [0, numLabels)
     * @param k         neighbours counted
     * @param topLabels how many of the surrogate's most probable labels' rows are searched
     */
    public NeighbourPurity(float[] reference, int[] labels, int numLabels, int dim, int k, int topLabels) {
        if (dim <= 0 || reference.length != labels.length * dim) {
            throw new RouterException("neighbour purity: " + reference.length + " reference values for "
                    + labels.length + " rows of " + dim);
        }
        if (k < 1 || topLabels < 1) {
            throw new RouterException("neighbour purity: k and top labels must be at least 1, were " + k + " and "
                    + topLabels);
        }
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int l = 0; l < numLabels; l++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numLabels) {
                throw new RouterException("neighbour purity: reference row " + i + " has label " + labels[i]
                        + ", outside the " + numLabels + " labels");
            }
            byLabel.get(labels[i]).add(i);
        }
        this.rowsOfLabel = new int[numLabels][];
        for (int l = 0; l < numLabels; l++) {
            rowsOfLabel[l] = byLabel.get(l).stream().mapToInt(Integer::intValue).toArray();
        }
        this.reference = reference;
        this.labels = labels;
        this.numLabels = numLabels;
        this.dim = dim;
        this.k = k;
        this.topLabels = topLabels;
    }

    /** Writes {@code row}'s L2-normalised copy (all zeros stay zeros) to {@code out}. */
    public static void normalise(float[] row, int off, int dim, float[] out, int at) {
        float norm = dot(row, off, row, off, dim);
        float scale = norm > 0f ? (float) (1.0 / Math.sqrt(norm)) : 0f;
        for (int j = 0; j < dim; j++) {
            out[at + j] = row[off + j] * scale;
        }
    }

    /**
     * The feature of one query.
     *
     * @param query      dim values from {@code qOff}, L2-normalised ({@link #normalise})
     * @param p          the surrogate's probabilities over numLabels values from {@code pOff}
     * @param excludeRow a reference row never counted (the query's own row when it is one), or -1
     * @return NaN when the probabilities hold a NaN or no reference row is searched
     */
    public double of(float[] query, int qOff, double[] p, int pOff, int numLabels, int excludeRow) {
        if (numLabels != this.numLabels) {
            throw new RouterException("neighbour purity: the reference knows " + this.numLabels
                    + " labels, the surrogate's probabilities have " + numLabels);
        }
        int m = Math.min(topLabels, numLabels);
        int[] top = new int[m];
        int found = 0;
        for (int l = 0; l < numLabels; l++) {
            double v = p[pOff + l];
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            // insertion into the m best: higher first, the lower index first among equals
            int at = found < m ? found : m;
            while (at > 0 && v > p[pOff + top[at - 1]]) {
                at--;
            }
            if (at < m) {
                System.arraycopy(top, at, top, at + 1, Math.min(found, m - 1) - at);
                top[at] = l;
                found = Math.min(found + 1, m);
            }
        }
        int predicted = top[0];
        float[] bestSim = new float[k];
        int[] bestRow = new int[k];
        int held = 0;
        for (int t = 0; t < m; t++) {
            for (int r : rowsOfLabel[top[t]]) {
                if (r == excludeRow) {
                    continue;
                }
                float s = dot(query, qOff, reference, r * dim, dim);
                // keep the k most similar; among equal similarities the lower row index
                int at = held < k ? held : k;
                while (at > 0 && (s > bestSim[at - 1] || (s == bestSim[at - 1] && r < bestRow[at - 1]))) {
                    at--;
                }
                if (at < k) {
                    int last = Math.min(held, k - 1);
                    System.arraycopy(bestSim, at, bestSim, at + 1, last - at);
                    System.arraycopy(bestRow, at, bestRow, at + 1, last - at);
                    bestSim[at] = s;
                    bestRow[at] = r;
                    held = Math.min(held + 1, k);
                }
            }
        }
        if (held == 0) {
            return Double.NaN;
        }
        int same = 0;
        for (int i = 0; i < held; i++) {
            same += labels[bestRow[i]] == predicted ? 1 : 0;
        }
        return (double) same / held;
    }

    /**
     * The feature of row {@code row} of a block of raw (not normalised) embeddings, as the gates
     * of the Spark-free router compute it; {@code scratch} holds at least dim floats.
     */
    double ofRaw(float[] rows, int row, double[] p, int pOff, int numLabels, float[] scratch) {
        normalise(rows, row * dim, dim, scratch, 0);
        return of(scratch, 0, p, pOff, numLabels, -1);
    }

    /** The description that goes beside the reference file, in a gate's JSON (read by {@link #read}). */
    public java.util.Map<String, Object> describe(String file) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(K, k);
        m.put(TOP_LABELS, topLabels);
        m.put(NUM_LABELS, numLabels);
        m.put(DIM, dim);
        m.put(ROWS, labels.length);
        m.put(FILE, file);
        m.put(LABELS, labels);
        return m;
    }

    /** The reference rows as the file {@link #describe} names: rows x dim float32, little-endian. */
    public byte[] referenceBytes() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(reference.length * Float.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(reference);
        return b.array();
    }

    /**
     * Rebuilds a reference from its description ({@link #describe}) and the file it names.
     *
     * @param where what is being read, for messages
     */
    public static NeighbourPurity read(com.fasterxml.jackson.databind.JsonNode d, byte[] file, String where) {
        int rows = d.path(ROWS).asInt(-1);
        int dim = d.path(DIM).asInt(-1);
        com.fasterxml.jackson.databind.JsonNode labelsNode = d.path(LABELS);
        if (rows < 0 || dim <= 0 || !labelsNode.isArray() || labelsNode.size() != rows) {
            throw new RouterException(where + ": neighbour reference description is incomplete (rows " + rows
                    + ", dim " + dim + ", " + labelsNode.size() + " labels)");
        }
        if (file.length != (long) rows * dim * Float.BYTES) {
            throw new RouterException(where + ": neighbour reference file holds " + file.length + " bytes, expected "
                    + rows + " rows x " + dim + " float32 = " + ((long) rows * dim * Float.BYTES));
        }
        float[] reference = new float[rows * dim];
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(reference);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = labelsNode.get(i).asInt();
        }
        return new NeighbourPurity(reference, labels, d.path(NUM_LABELS).asInt(), dim, d.path(K).asInt(),
                d.path(TOP_LABELS).asInt());
    }

    /**
     * The dot product in one fixed order: eight partial sums, lane l adding the products of the
     * indices equal to l modulo 8 in increasing order, then ((l0 + l1) + (l2 + l3)) + ((l4 + l5)
     * + (l6 + l7)). Eight independent sums ran 1.6 times faster than one chain here (28.5-30.1
     * against 47.0-48.1 us a query at B1's size, five alternating runs of NeighbourPurityBench,
     * alone), and the order is spelled out so every JVM, here and on an executor, gets the same bits (Java float arithmetic is IEEE, with no fused
     * multiply-add unless asked for).
     */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float l0 = 0f;
        float l1 = 0f;
        float l2 = 0f;
        float l3 = 0f;
        float l4 = 0f;
        float l5 = 0f;
        float l6 = 0f;
        float l7 = 0f;
        int j = 0;
        for (int end = n - 7; j < end; j += 8) {
            int x = aOff + j;
            int y = bOff + j;
            l0 += a[x] * b[y];
            l1 += a[x + 1] * b[y + 1];
            l2 += a[x + 2] * b[y + 2];
            l3 += a[x + 3] * b[y + 3];
            l4 += a[x + 4] * b[y + 4];
            l5 += a[x + 5] * b[y + 5];
            l6 += a[x + 6] * b[y + 6];
            l7 += a[x + 7] * b[y + 7];
        }
        // the last n mod 8 indices continue their lanes (j is a multiple of 8 here)
        int rest = n - j;
        int x = aOff + j;
        int y = bOff + j;
        if (rest > 0) {
            l0 += a[x] * b[y];
        }
        if (rest > 1) {
            l1 += a[x + 1] * b[y + 1];
        }
        if (rest > 2) {
            l2 += a[x + 2] * b[y + 2];
        }
        if (rest > 3) {
            l3 += a[x + 3] * b[y + 3];
        }
        if (rest > 4) {
            l4 += a[x + 4] * b[y + 4];
        }
        if (rest > 5) {
            l5 += a[x + 5] * b[y + 5];
        }
        if (rest > 6) {
            l6 += a[x + 6] * b[y + 6];
        }
        return ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7));
    }

    public int numLabels() {
        return numLabels;
    }

    public int dim() {
        return dim;
    }

    @Override
    public String toString() {
        return "NeighbourPurity[" + labels.length + " reference rows, k=" + k + ", top " + topLabels + " labels, dim "
                + dim + ", per label " + Arrays.stream(rowsOfLabel).mapToInt(a -> a.length).summaryStatistics() + "]";
    }
}
