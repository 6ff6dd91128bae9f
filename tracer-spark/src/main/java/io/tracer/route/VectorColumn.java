package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.serve.EmbeddingBlock;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.Platform;

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
    private final String name;
    private final int index;
    /** The array may hold null elements (Delta reads array<float> back as containsNull = true). */
    private final boolean nullElements;
    private final UserDefinedType<Vector> vectorType;

    private VectorColumn(Kind kind, String name, int index, boolean nullElements,
                         UserDefinedType<Vector> vectorType) {
        this.kind = kind;
        this.name = name;
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
                        Columns.EMBEDDING, schema.fieldIndex(Columns.EMBEDDING), a.containsNull(), null);
            }
            throw new BadInputException("cannot route: column " + Columns.EMBEDDING + " is " + f.dataType()
                    .simpleString() + "; expected array<float>");
        }
        if (names.contains(Columns.FEATURES)) {
            DataType t = schema.apply(Columns.FEATURES).dataType();
            if (t instanceof UserDefinedType<?> u && Vector.class.isAssignableFrom(u.userClass())) {
                return new VectorColumn(Kind.ML_VECTOR, Columns.FEATURES, schema.fieldIndex(Columns.FEATURES), false,
                        (UserDefinedType<Vector>) u);
            }
        }
        if (names.contains(Columns.INPUT)) {
            return new VectorColumn(Kind.TEXT, Columns.INPUT, schema.fieldIndex(Columns.INPUT), false, null);
        }
        throw new BadInputException("cannot route: the rows have neither " + Columns.EMBEDDING + " nor "
                + Columns.FEATURES + " nor " + Columns.INPUT + "; their columns are " + names);
    }

    Kind kind() {
        return kind;
    }

    /** The column the vectors (or texts) are read from. */
    String name() {
        return name;
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
        if (kind == Kind.FLOATS && a instanceof UnsafeArrayData u) {
            // Straight from the row's bytes into the block: no array per row.
            Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
                    values, Platform.FLOAT_ARRAY_OFFSET + 4L * at, 4L * n);
        } else if (kind == Kind.FLOATS) {
            System.arraycopy(a.toFloatArray(), 0, values, at, n);
        } else {
            for (int j = 0; j < n; j++) {
                values[at + j] = (float) a.getDouble(j);
            }
        }
        if (nullElements && hasNullElement(a)) {
            for (int j = 0; j < n; j++) {
                if (a.isNullAt(j)) {
                    values[at + j] = Float.NaN;
                }
            }
        }
    }

    /**
     * Whether any element is null. An UnsafeArrayData keeps its null bits in whole words after the
     * element count: a few word reads instead of one check per element.
     */
    private static boolean hasNullElement(ArrayData a) {
        if (a instanceof UnsafeArrayData u) {
            int words = (u.numElements() + 63) / 64;
            for (int w = 0; w < words; w++) {
                if (Platform.getLong(u.getBaseObject(), u.getBaseOffset() + 8 + 8L * w) != 0) {
                    return true;
                }
            }
            return false;
        }
        for (int j = 0; j < a.numElements(); j++) {
            if (a.isNullAt(j)) {
                return true;
            }
        }
        return false;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
