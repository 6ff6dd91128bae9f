package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.serve.EmbeddingBlock;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Where a routed row's vector comes from, and how it goes into the kernel's block: the
 * {@link Columns#EMBEDDING} array (floats as they are, doubles narrowed), else the
 * {@link Columns#FEATURES} ML vector, else the {@link Columns#INPUT} text, which the route
 * encodes itself ({@link RoutePartition}).
 */
final class VectorColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { FLOATS, DOUBLES, ML_VECTOR, TEXT }

    private final Kind kind;
    private final int index;
    /** The array may hold null elements (Delta reads array<float> back as containsNull = true). */
    private final boolean nullElements;
    private final UserDefinedType<Vector> vectorType;

    private VectorColumn(Kind kind, int index, boolean nullElements, UserDefinedType<Vector> vectorType) {
        this.kind = kind;
        this.index = index;
        this.nullElements = nullElements;
        this.vectorType = vectorType;
    }

    /** @throws BadInputException when the rows have neither vectors nor text */
    @SuppressWarnings("unchecked")
    static VectorColumn of(StructType schema) {
        java.util.List<String> names = Arrays.asList(schema.fieldNames());
        if (names.contains(Columns.EMBEDDING)) {
            StructField f = schema.apply(Columns.EMBEDDING);
            if (f.dataType() instanceof ArrayType a && (a.elementType() == DataTypes.FloatType
                    || a.elementType() == DataTypes.DoubleType)) {
                return new VectorColumn(a.elementType() == DataTypes.FloatType ? Kind.FLOATS : Kind.DOUBLES,
                        schema.fieldIndex(Columns.EMBEDDING), a.containsNull(), null);
            }
            throw new BadInputException("cannot route: column " + Columns.EMBEDDING + " is " + f.dataType()
                    .simpleString() + "; expected array<float>");
        }
        if (names.contains(Columns.FEATURES)) {
            DataType t = schema.apply(Columns.FEATURES).dataType();
            if (t instanceof UserDefinedType<?> u && Vector.class.isAssignableFrom(u.userClass())) {
                return new VectorColumn(Kind.ML_VECTOR, schema.fieldIndex(Columns.FEATURES), false,
                        (UserDefinedType<Vector>) u);
            }
        }
        if (names.contains(Columns.INPUT)) {
            return new VectorColumn(Kind.TEXT, schema.fieldIndex(Columns.INPUT), false, null);
        }
        throw new BadInputException("cannot route: the rows have neither " + Columns.EMBEDDING + " nor "
                + Columns.FEATURES + " nor " + Columns.INPUT + "; their columns are " + names);
    }

    Kind kind() {
        return kind;
    }

    /** The row's text (TEXT only); null when missing. */
    String text(InternalRow row) {
        return row.isNullAt(index) ? null : row.getUTF8String(index).toString();
    }

    /** Adds the row's vector to the block (not TEXT). A null element reads as NaN. */
    void read(InternalRow row, EmbeddingBlock block) {
        if (row.isNullAt(index)) {
            block.addUnreadable(-1);
            return;
        }
        if (kind == Kind.ML_VECTOR) {
            block.add(floats(vectorType.deserialize(row.getStruct(index, 4)).toArray()));
            return;
        }
        ArrayData a = row.getArray(index);
        int n = a.numElements();
        if (n != block.dim()) {
            block.addUnreadable(n);
            return;
        }
        float[] values = block.values();
        int at = block.addValid();
        if (kind == Kind.FLOATS) {
            System.arraycopy(a.toFloatArray(), 0, values, at, n);
        } else {
            for (int j = 0; j < n; j++) {
                values[at + j] = (float) a.getDouble(j);
            }
        }
        if (nullElements) {
            for (int j = 0; j < n; j++) {
                if (a.isNullAt(j)) {
                    values[at + j] = Float.NaN;
                }
            }
        }
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
