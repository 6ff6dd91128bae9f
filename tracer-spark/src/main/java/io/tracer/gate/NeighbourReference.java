package io.tracer.gate;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.HashSample;
import io.tracer.TracerException;
import io.tracer.config.ConfigKeys;
import io.tracer.serve.NeighbourPurity;
import io.tracer.serve.PortableFormat;
import io.tracer.zoo.ModelFiles;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

/**
 * The trained gates' neighbour input ({@link NeighbourPurity}) on the Spark side: a bounded,
 * stratified reference of train rows (at most a set number per teacher label, chosen by trace id
 * hash so a seed picks the same rows everywhere) and the column {@link #COLUMN} it adds.
 *
 * <p>The feature is computed by the same kernel the Spark-free router runs, so a policy's gate
 * scores the same bits in the fit and in routing. No built-in function does a nearest-neighbour
 * search, hence the one UDF; the reference reaches the executors as a broadcast (a few MB:
 * labels x rows per label x dim float32).
 *
 * <p>The fit scores its own train rows with the gate (the gate is trained on their out-of-fold
 * predictions, and RSB reads them): such a row must not find itself among its neighbours, or
 * every train row would look purer than new traffic does. The reference keeps the trace ids of
 * its rows for that, in memory only; a saved and loaded reference scores every row as new
 * traffic, as the router does.
 */
public final class NeighbourReference {
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourReference.class);

    /** The column the gates read. */
    public static final String COLUMN = PortableFormat.NEIGHBOUR_INPUT;

    /**
     * The largest reference a fit builds, in float32 bytes (128 MB). The driver collects it (as
     * boxed doubles first, about three times that), broadcasts it to every executor, writes it
     * twice per gate and the router holds it in memory; past this a label-rich table needs fewer
     * rows per label, which the error says.
     */
    public static final long MAX_REFERENCE_BYTES = 128L << 20;

    private final NeighbourPurity purity;
    /** Trace id to reference row, for the fit's own rows; empty once saved and loaded. */
    private final Map<String, Integer> ownRows;
    private transient Broadcast<Shipped> broadcast;
    private transient SparkContext broadcastTo;

    private NeighbourReference(NeighbourPurity purity, Map<String, Integer> ownRows) {
        this.purity = purity;
        this.ownRows = ownRows;
    }

    /**
     * Samples the reference from train rows.
     *
     * @param trainRows     rows with {@link Columns#TRACE_ID}, {@link Columns#FEATURES} and
     *                      {@link Columns#LABEL_INDEX} (the teacher's label); rows missing one are skipped
     * @param numLabels     the surrogate's label space
     * @param k             neighbours counted
     * @param topLabels     the surrogate's most probable labels whose rows are searched
     * @param rowsPerLabel  at most this many rows of each label
     * @param seed          picks the rows (a derived seed: the same rows on every run of it)
     */
    public static NeighbourReference sample(Dataset<Row> trainRows, int numLabels, int k, int topLabels,
                                            int rowsPerLabel, long seed) {
        long t0 = System.nanoTime();
        String key = "_neighbour_key";
        List<Row> rows = trainRows
                .where(col(Columns.TRACE_ID).isNotNull().and(col(Columns.FEATURES).isNotNull())
                        .and(col(Columns.LABEL_INDEX).isNotNull()))
                .select(col(Columns.TRACE_ID), col(Columns.FEATURES), col(Columns.LABEL_INDEX),
                        HashSample.uniform(seed, Columns.TRACE_ID).as(key))
                .withColumn("_neighbour_rank", row_number().over(
                        Window.partitionBy(Columns.LABEL_INDEX).orderBy(col(key), col(Columns.TRACE_ID))))
                .where(col("_neighbour_rank").leq(rowsPerLabel))
                // a fixed row order: ties between equally similar rows go to the lower index
                .orderBy(col(Columns.LABEL_INDEX), col(key), col(Columns.TRACE_ID))
                .select(Columns.TRACE_ID, Columns.FEATURES, Columns.LABEL_INDEX)
                // bounded by numLabels x rowsPerLabel, not by the table
                .collectAsList();
        if (rows.isEmpty()) {
            throw new BadInputException("gate neighbour reference: no train rows with a trace id, features and a label");
        }
        int dim = ((Vector) rows.get(0).get(1)).size();
        float[] reference = new float[rows.size() * dim];
        int[] labels = new int[rows.size()];
        Map<String, Integer> own = new HashMap<>(rows.size() * 2);
        float[] raw = new float[dim];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Vector v = (Vector) r.get(1);
            if (v.size() != dim) {
                throw new BadInputException("gate neighbour reference: trace " + r.getString(0) + " has "
                        + v.size() + " features, the first row " + dim);
            }
            for (int j = 0; j < dim; j++) {
                raw[j] = (float) v.apply(j);
            }
            NeighbourPurity.normalise(raw, 0, dim, reference, i * dim);
            labels[i] = ((Number) r.get(2)).intValue();
            own.put(r.getString(0), i);
        }
        NeighbourPurity purity = new NeighbourPurity(reference, labels, numLabels, dim, k, topLabels);
        LOG.info("gates: neighbour reference of {} train rows (at most {} a label, {} labels, {} MB) in {}s; "
                        + "{} nearest among the top {} labels' rows", rows.size(), rowsPerLabel, numLabels,
                String.format("%.1f", reference.length * 4.0 / (1 << 20)),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9), k, topLabels);
        return new NeighbourReference(purity, Collections.unmodifiableMap(own));
    }

    /**
     * Refuses, before anything is collected, a reference that could exceed {@link
     * #MAX_REFERENCE_BYTES}: {@code numLabels x rowsPerLabel x dim} float32 values at most.
     *
     * @throws BadInputException naming the setting to lower and the largest value that fits
     */
    public static void requireWithinBudget(int numLabels, int rowsPerLabel, int dim) {
        long bytes = 4L * numLabels * rowsPerLabel * dim;
        if (bytes > MAX_REFERENCE_BYTES) {
            long fits = MAX_REFERENCE_BYTES / (4L * numLabels * dim);
            String remedy = fits >= 1
                    ? String.format(Locale.ROOT, "set %s to %,d or less, or turn the input off (%s = 0)",
                            ConfigKeys.GATE_NEIGHBOUR_ROWS_PER_LABEL, fits, ConfigKeys.GATE_NEIGHBOURS)
                    : String.format(Locale.ROOT, "even one row per label does not fit; turn the input off (%s = 0)",
                            ConfigKeys.GATE_NEIGHBOURS);
            throw new BadInputException(String.format(Locale.ROOT,
                    "gate neighbour reference: %,d labels x %,d rows per label (%s) x %,d dims is up to %,d MB, "
                            + "over the %,d MB a reference may hold; %s", numLabels, rowsPerLabel,
                    ConfigKeys.GATE_NEIGHBOUR_ROWS_PER_LABEL, dim, bytes >> 20, MAX_REFERENCE_BYTES >> 20, remedy));
        }
    }

    /** Whether {@code traceId} is one of the fit's reference rows (never true once saved and loaded). */
    public boolean isOwnRow(String traceId) {
        return ownRows.containsKey(traceId);
    }

    /** The kernel, as the portable export writes it. */
    public NeighbourPurity purity() {
        return purity;
    }

    /**
     * Adds {@link #COLUMN} from {@link Columns#FEATURES} and {@link Columns#PROBABILITY} (and
     * {@link Columns#TRACE_ID} when present, to keep a train row from counting itself). Null
     * when features or probabilities are null; NaN when the probabilities hold a NaN.
     */
    public Dataset<Row> add(Dataset<Row> rows) {
        Column id = Arrays.asList(rows.columns()).contains(Columns.TRACE_ID)
                ? col(Columns.TRACE_ID) : lit(null).cast(DataTypes.StringType);
        // the lambda holds the broadcast's handle only: each executor reads the reference once,
        // where a captured copy would be deserialized by every task of every stage that scores
        Broadcast<Shipped> shipped = shipped();
        UserDefinedFunction f = udf((UDF3<Vector, Vector, String, Double>) (features, probability, traceId) -> {
            if (features == null || probability == null) {
                return null;
            }
            NeighbourPurity kernel = shipped.value().purity();
            Map<String, Integer> own = shipped.value().ownRows();
            int dim = kernel.dim();
            if (features.size() != dim) {
                throw new BadInputException("gate neighbour input: trace " + traceId + " has " + features.size()
                        + " features, the reference " + dim);
            }
            float[] q = new float[dim];
            for (int j = 0; j < dim; j++) {
                q[j] = (float) features.apply(j);
            }
            NeighbourPurity.normalise(q, 0, dim, q, 0);
            double[] p = probability.toArray();
            Integer self = traceId == null ? null : own.get(traceId);
            return kernel.of(q, 0, p, 0, p.length, self == null ? -1 : self);
        }, DataTypes.DoubleType);
        return rows.withColumn(COLUMN, f.apply(col(Columns.FEATURES), col(Columns.PROBABILITY), id));
    }

    /** What the executors read: the kernel and the fit's own rows. */
    private record Shipped(NeighbourPurity purity, Map<String, Integer> ownRows) implements Serializable {}

    /** Broadcast once per SparkContext (a test JVM may start another after stopping one). */
    private synchronized Broadcast<Shipped> shipped() {
        SparkContext sc = SparkSession.active().sparkContext();
        if (broadcast == null || broadcastTo != sc) {
            broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(new Shipped(purity, ownRows));
            broadcastTo = sc;
        }
        return broadcast;
    }

    /** Writes the reference under {@code dirUri}: {@code neighbours.json} and its float file. */
    void save(String dirUri) {
        Path file = new Path(ModelFiles.child(dirUri, PortableFormat.GATE_NEIGHBOURS_FILE));
        try {
            FileSystem fs = file.getFileSystem(SparkSession.active().sparkContext().hadoopConfiguration());
            try (FSDataOutputStream out = fs.create(file, true)) {
                out.write(purity.referenceBytes());
            }
        } catch (IOException e) {
            throw new TracerException("cannot write the gate's neighbour reference " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JSON section that describes {@link #save}'s file. */
    Map<String, Object> describe() {
        return purity.describe(PortableFormat.GATE_NEIGHBOURS_FILE);
    }

    /** Reads a reference {@link #save} wrote, described by {@code description}. */
    static NeighbourReference load(String dirUri, com.fasterxml.jackson.databind.JsonNode description) {
        String name = description.path(NeighbourPurity.FILE).asText();
        Path file = new Path(ModelFiles.child(dirUri, name));
        byte[] bytes;
        try {
            FileSystem fs = file.getFileSystem(SparkSession.active().sparkContext().hadoopConfiguration());
            if (!fs.exists(file)) {
                throw new BadInputException("gate at " + dirUri + ": neighbour reference file " + name + " does not exist");
            }
            try (FSDataInputStream in = fs.open(file)) {
                bytes = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read the gate's neighbour reference " + file + ": " + e.getMessage(), e);
        }
        try {
            return new NeighbourReference(NeighbourPurity.read(description, bytes, "gate at " + dirUri), Map.of());
        } catch (io.tracer.serve.RouterException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return purity.toString();
    }
}
