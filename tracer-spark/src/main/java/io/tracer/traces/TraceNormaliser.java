package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.Columns;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

/**
 * Renames and casts the resolved source columns to the canonical names and types of
 * {@link Columns}, and fills in missing trace ids. Nothing is judged here; the flags it adds
 * ({@link #TS_UNPARSED}) let {@link TraceValidator} judge.
 *
 * <p>Derived trace ids are {@code sha2(input + U+0001 + teacher, 256)}: stable across reads of
 * the same content. Two identical rows therefore share an id and are treated as duplicates.
 */
final class TraceNormaliser {
    /** True where the source had a timestamp value that did not parse. */
    static final String TS_UNPARSED = "_tracer_ts_unparsed";
    /** The original row as text, for the quarantine. */
    static final String RAW_FULL = "_tracer_raw_full";

    private static final DataType FLOAT_ARRAY = DataTypes.createArrayType(DataTypes.FloatType, true);

    private TraceNormaliser() {}

    static Column derivedId(Column input, Column teacher) {
        return sha2(concat_ws("\u0001", input, teacher), 256);
    }

    static Dataset<Row> normalise(RawTraces raw, ResolvedColumns rc) {
        Dataset<Row> df = raw.data();
        Column input = source(rc.input()).cast(DataTypes.StringType);
        Column teacher = rc.teacher() == null ? lit(null).cast(DataTypes.StringType)
                : label(source(rc.teacher()).cast(DataTypes.StringType));
        Column derived = derivedId(input, teacher);
        Column id = rc.traceId().map(c -> {
            Column given = source(c).cast(DataTypes.StringType);
            return when(given.isNull().or(given.rlike("^\\s*$")), derived).otherwise(given);
        }).orElse(derived);

        List<Column> out = new ArrayList<>();
        out.add(id.as(Columns.TRACE_ID));
        out.add(input.as(Columns.INPUT));
        out.add(teacher.as(Columns.TEACHER));
        rc.timestamp().ifPresent(c -> {
            Column ts = timestamp(source(c), df.schema().apply(c).dataType(), c);
            out.add(ts.as(Columns.TIMESTAMP));
            out.add(source(c).isNotNull().and(ts.isNull()).as(TS_UNPARSED));
        });
        if (rc.timestamp().isEmpty()) {
            out.add(lit(false).as(TS_UNPARSED));
        }
        rc.groundTruth().ifPresent(c -> out.add(label(source(c).cast(DataTypes.StringType)).as(Columns.GROUND_TRUTH)));
        rc.embedding().ifPresent(c -> out.add(embedding(source(c), df.schema().apply(c).dataType(), c)
                .as(Columns.EMBEDDING)));
        out.add(col(TraceReader.SOURCE_FILE).as(Columns.SOURCE_FILE));
        out.add(col(TraceReader.SOURCE_LINE).as(Columns.SOURCE_LINE));
        if (raw.corruptReason().isPresent()) {
            out.add(col(TraceReader.CORRUPT));
        }
        out.add(raw.raw().as(RAW_FULL));
        return df.select(out.toArray(Column[]::new));
    }

    /**
     * A label as the teacher meant it: whitespace around it is dropped (" billing" and "billing\t"
     * are the label billing), case is kept ("Billing" and "billing" stay two labels; the split
     * stage warns about such pairs). Numbers and booleans are labels by their text ("3", "true").
     */
    static Column label(Column c) {
        return regexp_replace(c, "^\\s+|\\s+$", "");
    }

    private static Column source(String name) {
        return col(TraceReader.quote(name));
    }

    /** Timestamps as is; dates cast; numbers as epoch seconds; strings parsed leniently (null when they do not parse). */
    private static Column timestamp(Column c, DataType type, String name) {
        if (type instanceof TimestampType) {
            return c;
        }
        if (type instanceof TimestampNTZType || type instanceof DateType) {
            return c.cast(DataTypes.TimestampType);
        }
        if (type instanceof NumericType) {
            return timestamp_seconds(c);
        }
        if (type instanceof StringType) {
            return call_function("try_to_timestamp", c);
        }
        throw new BadInputException("timestamp column " + name + " has type " + type.simpleString()
                + "; expected a timestamp, date, epoch seconds or a string");
    }

    /** Embeddings as array&lt;float&gt; from numeric arrays, ML vectors or JSON array strings. */
    private static Column embedding(Column c, DataType type, String name) {
        if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return c.cast(FLOAT_ARRAY);
        }
        if (type instanceof VectorUDT) {
            return org.apache.spark.ml.functions.vector_to_array(c, "float32");
        }
        if (type instanceof StringType) {
            return from_json(c, FLOAT_ARRAY);
        }
        throw new BadInputException("embedding column " + name + " has type " + type.simpleString()
                + "; expected array<float>, array<double>, an ML vector or a JSON array string");
    }
}
