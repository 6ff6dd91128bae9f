package io.tracer.serve;

/** Matrices as the kernel wants them: one row-major array. */
final class Dense {
    private Dense() {}

    /** Rows of equal length, concatenated. */
    static double[] flatten(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] out = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new RouterException("matrix rows of different lengths: " + cols + " and " + rows[i].length);
            }
            System.arraycopy(rows[i], 0, out, i * cols, cols);
        }
        return out;
    }
}
