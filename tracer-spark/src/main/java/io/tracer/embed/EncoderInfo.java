package io.tracer.embed;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.policy.PolicyManifest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Which encoder made a vector and its width. It lives in the embedding column's field
 * metadata (keys {@value #ENCODER_KEY}, {@value #DIM_KEY}), which Delta stores with the
 * schema, so a table read back later still says how its vectors were made and vectors of two
 * encoders are never mixed by accident.
 */
public record EncoderInfo(String id, int dim) {
    public static final String ENCODER_KEY = "tracer.encoder";
    public static final String DIM_KEY = "tracer.dim";

    public EncoderInfo {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || dim <= 0) {
            throw new IllegalArgumentException("encoder id must be non-blank and dim positive, got " + id + "/" + dim);
        }
    }

    public Metadata metadata() {
        return new MetadataBuilder().putString(ENCODER_KEY, id).putLong(DIM_KEY, dim).build();
    }

    /** The column {@code c} renamed to {@code name} with this encoder's metadata attached. */
    public Column tag(Column c, String name) {
        return c.as(name, metadata());
    }

    /** The data with this encoder's metadata on its {@link Columns#EMBEDDING} column. */
    public Dataset<Row> tag(Dataset<Row> data) {
        return data.withColumn(Columns.EMBEDDING, tag(col(Columns.EMBEDDING), Columns.EMBEDDING));
    }

    /** The encoder recorded on the data's {@link Columns#EMBEDDING} column, if any. */
    public static Optional<EncoderInfo> of(Dataset<Row> data) {
        if (!Arrays.asList(data.columns()).contains(Columns.EMBEDDING)) {
            return Optional.empty();
        }
        return of(data.schema().apply(Columns.EMBEDDING));
    }

    /** The encoder a policy was fitted with, as its manifest records it: the vectors it routes. */
    public static EncoderInfo of(PolicyManifest.Encoder encoder) {
        return new EncoderInfo(encoder.id(), encoder.dim());
    }

    /** The encoder recorded on one field's metadata, if any. */
    public static Optional<EncoderInfo> of(StructField field) {
        Metadata m = field.metadata();
        if (!m.contains(ENCODER_KEY) || !m.contains(DIM_KEY)) {
            return Optional.empty();
        }
        return Optional.of(new EncoderInfo(m.getString(ENCODER_KEY), (int) m.getLong(DIM_KEY)));
    }

    /**
     * Refuses data whose embedding was not made by {@code expected}: vectors of different
     * encoders live in different spaces, and a model fitted on one is meaningless on the other.
     */
    public static EncoderInfo require(Dataset<Row> data, EncoderInfo expected) {
        if (!Arrays.asList(data.columns()).contains(Columns.EMBEDDING)) {
            throw new BadInputException("the table has no " + Columns.EMBEDDING + " column; expected vectors from "
                    + expected.describe() + " (run tracer embed first)");
        }
        EncoderInfo actual = of(data).orElseThrow(() -> new BadInputException("column " + Columns.EMBEDDING
                + " carries no encoder metadata (" + ENCODER_KEY + ", " + DIM_KEY + "); expected vectors from "
                + expected.describe() + " (re-embed with tracer embed)"));
        if (!actual.equals(expected)) {
            throw new BadInputException("column " + Columns.EMBEDDING + " holds vectors from encoder "
                    + actual.describe() + ", but this job expects " + expected.describe()
                    + "; re-embed the traces with the expected encoder");
        }
        return actual;
    }

    public String describe() {
        return id + " (dim " + dim + ")";
    }
}
