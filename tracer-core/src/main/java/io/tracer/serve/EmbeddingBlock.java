package io.tracer.serve;

/**
 * The rows of one block as the kernel reads them: each row's embedding width, and the
 * well-formed rows (width = the policy's dimension) packed one after the other into one float
 * matrix. Rows of another width (or none) take no room; they are deferred without being scored.
 * Filled by the caller, routed by {@link BlockRouter#route()}, then cleared for the next block.
 */
public final class EmbeddingBlock {
    private final int dim;
    private final int capacity;
    private final float[] values;
    private final int[] widths;
    private final int[] validRows;
    private int rows;
    private int valid;

    public EmbeddingBlock(int dim, int capacity) {
        if (dim <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("a block needs a positive width and capacity, got " + dim + " x "
                    + capacity);
        }
        this.dim = dim;
        this.capacity = capacity;
        this.values = new float[dim * capacity];
        this.widths = new int[capacity];
        this.validRows = new int[capacity];
    }

    /** Adds a row; {@code null} is a missing embedding. Copies the values when the width is the policy's. */
    public void add(float[] embedding) {
        if (embedding == null || embedding.length != dim) {
            addUnreadable(embedding == null ? -1 : embedding.length);
            return;
        }
        System.arraycopy(embedding, 0, values, addValid(), dim);
    }

    /** Adds a row whose vector is not the policy's width: -1 when it has none. */
    public void addUnreadable(int width) {
        requireRoom();
        widths[rows++] = width;
    }

    /**
     * Adds a well-formed row whose values the caller writes: {@code dim} floats into
     * {@link #values()} from the offset returned.
     */
    public int addValid() {
        requireRoom();
        widths[rows] = dim;
        validRows[valid] = rows++;
        return dim * valid++;
    }

    /** The well-formed rows, packed, row-major. */
    public float[] values() {
        return values;
    }

    public int rows() {
        return rows;
    }

    public boolean isFull() {
        return rows == capacity;
    }

    public int capacity() {
        return capacity;
    }

    public int dim() {
        return dim;
    }

    public void clear() {
        rows = 0;
        valid = 0;
    }

    int width(int row) {
        return widths[row];
    }

    boolean isValid(int row) {
        return widths[row] == dim;
    }

    int validCount() {
        return valid;
    }

    /** The row of the {@code v}-th well-formed row. */
    int validRow(int v) {
        return validRows[v];
    }

    private void requireRoom() {
        if (rows == capacity) {
            throw new IllegalStateException("block full: " + capacity + " rows");
        }
    }
}
