package io.tracer.route;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.types.DataType;

import java.io.Serializable;

/**
 * What of an input row comes out beside its decision, kept from the moment the scan hands the
 * row over (it reuses the object for the next row) until the row's block is routed.
 */
abstract class PassThrough implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keeps what the output needs of {@code row}. */
    abstract Object hold(InternalRow row);

    /** The output row: what was held, followed by {@code added}. */
    abstract InternalRow output(Object held, Object[] added);

    /** Every input column: the row is copied whole (its vector included). */
    static PassThrough all() {
        return new All();
    }

    /**
     * Only these columns: their values are copied one by one, and the rest of the row (the vector,
     * which the block already holds) is never copied.
     *
     * @param ordinals the columns' positions in the input
     * @param types    their types
     */
    static PassThrough only(int[] ordinals, DataType[] types) {
        return new Only(ordinals, types);
    }

    private static final class All extends PassThrough {
        private static final long serialVersionUID = 1L;

        @Override
        Object hold(InternalRow row) {
            return row.copy();
        }

        @Override
        InternalRow output(Object held, Object[] added) {
            return new JoinedRow((InternalRow) held, new GenericInternalRow(added));
        }
    }

    private static final class Only extends PassThrough {
        private static final long serialVersionUID = 1L;
        private final int[] ordinals;
        private final DataType[] types;

        Only(int[] ordinals, DataType[] types) {
            this.ordinals = ordinals;
            this.types = types;
        }

        @Override
        Object hold(InternalRow row) {
            Object[] values = new Object[ordinals.length];
            for (int i = 0; i < ordinals.length; i++) {
                values[i] = row.isNullAt(ordinals[i]) ? null
                        : InternalRow.copyValue(row.get(ordinals[i], types[i]));
            }
            return values;
        }

        @Override
        InternalRow output(Object held, Object[] added) {
            Object[] kept = (Object[]) held;
            Object[] all = new Object[kept.length + added.length];
            System.arraycopy(kept, 0, all, 0, kept.length);
            System.arraycopy(added, 0, all, kept.length, added.length);
            return new GenericInternalRow(all);
        }
    }
}
