package io.tracer.serve;

/**
 * A block of {@code n} rows of {@code dim} features, row-major: the embedding floats as given,
 * and their widening to double, made once on first use (the dense models compute in double,
 * XGBoost reads the floats).
 */
final class FeatureRows {
    private final float[] floats;
    private final int n;
    private final int dim;
    private final Workspace workspace;
    private final int slot;
    private double[] doubles;

    /**
     * @param floats at least n x dim values
     * @param slot   the {@link Workspace} slot the widened rows go to
     */
    FeatureRows(float[] floats, int n, int dim, Workspace workspace, int slot) {
        this.floats = floats;
        this.n = n;
        this.dim = dim;
        this.workspace = workspace;
        this.slot = slot;
    }

    int n() {
        return n;
    }

    int dim() {
        return dim;
    }

    /** The floats; may be longer than n x dim. */
    float[] floats() {
        return floats;
    }

    /** Exactly n x dim floats, for APIs that read the whole array (XGBoost's inplace_predict). */
    float[] exactFloats() {
        return floats.length == n * dim ? floats : java.util.Arrays.copyOf(floats, n * dim);
    }

    double[] doubles() {
        if (doubles == null) {
            double[] d = workspace.doubles(slot, n * dim);
            for (int i = 0, size = n * dim; i < size; i++) {
                d[i] = floats[i];
            }
            doubles = d;
        }
        return doubles;
    }

    /** Rows {@code rows[0..m)} of this block, copied into the workspace's {@link Workspace#SUBSET} slot. */
    FeatureRows subset(int[] rows, int m) {
        float[] out = workspace.floats(Workspace.SUBSET, m * dim);
        for (int k = 0; k < m; k++) {
            System.arraycopy(floats, rows[k] * dim, out, k * dim, dim);
        }
        return new FeatureRows(out, m, dim, workspace, Workspace.SUBSET);
    }
}
