package io.tracer.route;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Messages;
import io.tracer.embed.BuiltInEncoder;
import io.tracer.pipeline.Family;
import io.tracer.serve.PortablePolicy;
import io.tracer.serve.RouterException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;

/**
 * Applies a {@link RoutingPlan} to rows that carry {@link Columns#EMBEDDING} (or
 * {@link Columns#FEATURES}, or only the {@link Columns#INPUT} text): every row comes out once,
 * with its columns as they were followed by {@link #ROUTE_FIELDS}.
 *
 * <p>The decisions are the scoring kernel's ({@link io.tracer.serve.PolicyKernel}, the one the
 * Spark-free router runs): the plan's portable policy is broadcast once, and each partition takes
 * its rows {@value #BLOCK_ROWS} at a time into a float block the kernel scores in one go. The MLlib
 * models the fit trained are not used here. A row is handled when its vector has the width the
 * models were fitted on, the OOD gate (when the plan has one) does not flag it, and the policy's
 * accept score is a number at or above the certified threshold. Deferral reasons, first that
 * applies: {@link RouteColumns#UNSEEN_FEATURE_WIDTH}, {@code router_unscorable} (see the kernel),
 * {@link RouteColumns#OUT_OF_DISTRIBUTION}, {@link RouteColumns#GATE_SCORE}; a plan of method none
 * defers every row with {@link RouteColumns#NO_POLICY}.
 *
 * <p>Rows with text and no vectors are encoded in the same pass, a block at a time, with the
 * built-in encoder (the policy must have been fitted on its vectors); their
 * {@link Columns#EMBEDDING} comes out too.
 */
public final class BatchRouter {
    /** Rows per kernel block in a partition. */
    public static final int BLOCK_ROWS = 1024;
    /** Texts per encoder call when routing text, unless told (tracer.embed.batch-size's default). */
    static final int ENCODE_BATCH = 64;

    /** The columns routing adds, in order. */
    static final StructField[] ROUTE_FIELDS = {
            DataTypes.createStructField(RouteColumns.SCORE, DataTypes.DoubleType, true),
            DataTypes.createStructField(RouteColumns.DECISION, DataTypes.StringType, false),
            DataTypes.createStructField(RouteColumns.STAGE, DataTypes.IntegerType, false),
            DataTypes.createStructField(RouteColumns.SURROGATE_LABEL, DataTypes.StringType, true),
            DataTypes.createStructField(RouteColumns.REASON, DataTypes.StringType, true),
            DataTypes.createStructField(RouteColumns.REASON_DETAIL, DataTypes.StringType, true)};

    private final RoutingPlan plan;
    private final int encodeBatch;

    public BatchRouter(RoutingPlan plan) {
        this(plan, ENCODE_BATCH);
    }

    /** @param encodeBatch texts per encoder call when the rows have text and no vectors */
    public BatchRouter(RoutingPlan plan, int encodeBatch) {
        if (encodeBatch < 1) {
            throw new IllegalArgumentException("encode batch must be positive, was " + encodeBatch);
        }
        this.plan = plan;
        this.encodeBatch = encodeBatch;
    }

    public RoutingPlan plan() {
        return plan;
    }

    /** Every row with all its columns, followed by the route columns (and {@link Columns#FEATURES}, see below). */
    public Dataset<Row> route(Dataset<Row> rows) {
        Dataset<Row> in = rows.drop(Arrays.stream(ROUTE_FIELDS).map(StructField::name).toArray(String[]::new));
        return withFeatures(route(in, PassThrough.all(), Arrays.asList(in.schema().fields())));
    }

    /**
     * Every row with only the columns {@code keep} (those present), followed by the route columns.
     * The vector is read but comes out only when named, and the scan skips every column neither
     * named nor read: for a caller that needs a few columns of the output (tracer route's table,
     * the audit's counts) this saves copying each row's vector twice over.
     */
    public Dataset<Row> route(Dataset<Row> rows, String... keep) {
        List<String> present = Arrays.asList(rows.columns());
        Set<String> kept = new LinkedHashSet<>();
        for (String k : keep) {
            if (present.contains(k) && Arrays.stream(ROUTE_FIELDS).noneMatch(f -> f.name().equals(k))) {
                kept.add(k);
            }
        }
        Set<String> read = new LinkedHashSet<>(kept);
        read.add(VectorColumn.of(rows.schema()).name());
        Dataset<Row> in = rows.select(read.stream().map(c -> col(c)).toArray(Column[]::new));
        StructType schema = in.schema();
        List<StructField> passed = kept.stream().map(schema::apply).toList();
        PassThrough only = PassThrough.only(kept.stream().mapToInt(schema::fieldIndex).toArray(),
                passed.stream().map(StructField::dataType).toArray(DataType[]::new));
        return route(in, only, passed);
    }

    /**
     * @param passThrough what of each input row comes out
     * @param passed      the fields it keeps, in order
     */
    private Dataset<Row> route(Dataset<Row> in, PassThrough passThrough, List<StructField> passed) {
        VectorColumn vectors = VectorColumn.of(in.schema());
        boolean readVectors = plan.method() != Family.NONE;
        boolean encode = readVectors && vectors.kind() == VectorColumn.Kind.TEXT;
        // Vectors made here come out with the rest of the row when every column does.
        boolean outputVectors = encode && passed.size() == in.schema().size();
        // The texts are encoded with the encoder the policy's models read (null: nothing is encoded).
        BuiltInEncoder encoder = encode ? policyEncoder(plan.portable()) : null;
        SparkSession spark = in.sparkSession();
        if (encode) {
            in = spreadForEncoding(in, spark.sparkContext().defaultParallelism());
        }
        // Built on the driver first: a policy the kernel cannot read fails here, not in every task,
        // and as bad input (exit 2) naming the policy: its files, not the job, are what is wrong.
        try {
            KernelCache.get(plan.portable());
        } catch (RouterException e) {
            throw new BadInputException("policy " + plan.portable().origin() + " cannot be routed: " + Messages.firstLine(e)
                    + "; publish the policy again or route with another version", e);
        }
        Broadcast<PortablePolicy> policy = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(plan.portable());
        RDD<InternalRow> routed = InternalFrames.rows(in).toJavaRDD()
                .mapPartitions(new RoutePartition(policy, vectors, passThrough, readVectors, outputVectors,
                        BLOCK_ROWS, encoder, encodeBatch)).rdd();
        return InternalFrames.frame(spark, routed, schema(passed, outputVectors ? encoder : null));
    }

    /**
     * Routed rows have always carried {@link Columns#FEATURES} (the report joins on it). It is a
     * plain expression after the kernel, so a caller that does not select it (tracer route's table)
     * never computes it.
     */
    private static Dataset<Row> withFeatures(Dataset<Row> routed) {
        List<String> columns = Arrays.asList(routed.columns());
        if (columns.contains(Columns.FEATURES) || !columns.contains(Columns.EMBEDDING)) {
            return routed;
        }
        return routed.withColumn(Columns.FEATURES, array_to_vector(col(Columns.EMBEDDING)));
    }

    /**
     * Encoding is the slow part of routing text (hundreds of rows/s per core) and a small table is
     * one partition: dealt round-robin over every core instead, as the embed job does.
     */
    private static Dataset<Row> spreadForEncoding(Dataset<Row> rows, int cores) {
        return InternalFrames.rows(rows).getNumPartitions() < cores ? rows.repartition(cores) : rows;
    }

    /**
     * The columns passed through, the encoded embedding when the route makes it, then the route columns.
     *
     * @param encoded the encoder of the vectors that come out, null when none do
     */
    private static StructType schema(List<StructField> passed, BuiltInEncoder encoded) {
        List<StructField> fields = new ArrayList<>(passed);
        if (encoded != null) {
            fields.add(new StructField(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), true,
                    encoded.info().metadata()));
        }
        fields.addAll(Arrays.asList(ROUTE_FIELDS));
        return new StructType(fields.toArray(StructField[]::new));
    }

    /**
     * The built-in encoder whose vectors the policy's models read: text can only be routed when
     * there is one.
     */
    static BuiltInEncoder policyEncoder(PortablePolicy policy) {
        return BuiltInEncoder.matching(policy.encoderId(), policy.dim())
                .orElseThrow(() -> new BadInputException("cannot route text without vectors: the policy's models read "
                        + (policy.encoderId() == null ? "vectors of an unknown encoder" : policy.encoderId())
                        + " (dim " + policy.dim() + "), and the built-in encoders are " + BuiltInEncoder.ids()
                        + "; embed the inputs with the policy's encoder first"));
    }
}
