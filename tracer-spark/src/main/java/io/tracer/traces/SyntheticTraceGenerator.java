package io.tracer.traces;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.embed.EncoderInfo;
import io.delta.tables.DeltaTable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Makes synthetic traces with a known structure, for tests, demos and benchmarks: a gaussian
 * mixture of label clusters (see {@link SyntheticGeometry}), uneven (Zipf-like) label sizes,
 * teacher noise and optional out-of-distribution rows.
 *
 * <p>Row i depends only on (seed, i): each row seeds its own random stream from a hash of the
 * two, so the table is identical whatever the partitioning. This is the one place with a
 * per-row Java function, because no Spark built-in draws gaussian-mixture vectors
 * (built-in randn is seeded per partition, so its values change with the partitioning).
 *
 * <p>Columns: trace_id ("syn-&lt;i&gt;"), input, teacher, ground_truth (the true label),
 * embedding (array&lt;float&gt; with the {@link EncoderInfo} field metadata of {@value #ENCODER_ID}),
 * is_ood.
 */
public final class SyntheticTraceGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticTraceGenerator.class);

    /** The encoder id synthetic embeddings carry. */
    public static final String ENCODER_ID = "synthetic-gaussian-v1";
    /** True on out-of-distribution rows. */
    public static final String IS_OOD = "is_ood";

    private static final String PARQUET_DICTIONARY = "parquet.enable.dictionary";

    /** About this many floats per partition (64 MB), so output files stay a sensible size. */
    private static final long FLOATS_PER_PARTITION = 16L << 20;

    private final SparkSession spark;

    public SyntheticTraceGenerator(SparkSession spark) {
        this.spark = spark;
    }

    /** The traces of {@code spec}, lazily, in a partition count chosen from the size. */
    public Dataset<Row> generate(SyntheticSpec spec) {
        return generate(spec, defaultPartitions(spec));
    }

    /** At least one partition per core, and about 64 MB of embedding per partition. */
    public int defaultPartitions(SyntheticSpec spec) {
        long byVolume = (spec.rows() * spec.dim() + FLOATS_PER_PARTITION - 1) / FLOATS_PER_PARTITION;
        return (int) Math.max(spark.sparkContext().defaultParallelism(), Math.min(byVolume, 10_000));
    }

    /** The traces of {@code spec} in {@code partitions} partitions; the rows do not depend on it. */
    public Dataset<Row> generate(SyntheticSpec spec, int partitions) {
        return generate(spec, partitions, 0);
    }

    /**
     * {@code spec.rows()} traces of the same population whose ids start at {@code firstId}: rows
     * are a function of (seed, id), so draws with disjoint id ranges are disjoint draws of one
     * population (a held-out set, future traffic).
     */
    public Dataset<Row> generate(SyntheticSpec spec, int partitions, long firstId) {
        if (partitions < 1) {
            throw new BadInputException("synthetic traces: partitions must be positive, was " + partitions);
        }
        SyntheticGeometry geometry = SyntheticGeometry.of(spec);
        Broadcast<SyntheticGeometry> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(geometry);
        RowMaker maker = new RowMaker(shared, SyntheticGeometry.generatorSeed(spec), spec.dim(), spec.noise(),
                spec.oodShare(), spec.spread());
        LOG.info("synthetic traces: {} in {} partitions", spec, partitions);
        StructType schema = schema(spec.dim());
        return spark.range(firstId, firstId + spec.rows(), 1, partitions)
                .mapPartitions(maker, Encoders.row(schema))
                // Set the metadata on the result too: encoders do not promise to carry it through.
                .withColumn(Columns.EMBEDDING, org.apache.spark.sql.functions.col(Columns.EMBEDDING)
                        .as(Columns.EMBEDDING, embeddingMetadata(spec.dim())));
    }

    /**
     * Writes the traces of {@code spec} as a Delta table at {@code uri} (any Hadoop URI) and
     * returns the row count the table reports. An existing table is replaced only when
     * {@code overwrite} is set.
     */
    public long write(SyntheticSpec spec, String uri, boolean overwrite) {
        return write(spec, defaultPartitions(spec), uri, overwrite);
    }

    /** As {@link #write(SyntheticSpec, String, boolean)}, generating in {@code partitions} partitions. */
    public long write(SyntheticSpec spec, int partitions, String uri, boolean overwrite) {
        return write(spec, partitions, uri, overwrite, 0);
    }

    /** As {@link #write(SyntheticSpec, int, String, boolean)}, ids from {@code firstId} ({@link #generate(SyntheticSpec, int, long)}). */
    public long write(SyntheticSpec spec, int partitions, String uri, boolean overwrite, long firstId) {
        if (!overwrite && DeltaTable.isDeltaTable(spark, uri)) {
            throw new BadInputException("synthetic traces: " + uri + " already holds a Delta table; "
                    + "pass --overwrite to replace it");
        }
        // Random floats never repeat, so Parquet's dictionary encoding of the embedding is built only
        // to be thrown away: turning it off halves the write's CPU (measured 27.6 s -> 17.6 s for
        // 200k x 384). Delta ignores per-write Parquet options (delta-io/delta#1088), so the session
        // setting is changed for this write only and restored after, unless the user set it.
        boolean setDictionary = !spark.conf().contains(PARQUET_DICTIONARY);
        if (setDictionary) {
            spark.conf().set(PARQUET_DICTIONARY, "false");
        }
        try {
            generate(spec, partitions, firstId).write().format("delta")
                    .mode(overwrite ? "overwrite" : "errorifexists")
                    .option("userMetadata", "tracer generate " + spec)
                    .save(uri);
        } finally {
            if (setDictionary) {
                spark.conf().unset(PARQUET_DICTIONARY);
            }
        }
        return spark.read().format("delta").load(uri).count();
    }

    /** The output schema, embedding metadata included. */
    public static StructType schema(int dim) {
        return new StructType(new StructField[] {
                DataTypes.createStructField(Columns.TRACE_ID, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.INPUT, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.TEACHER, DataTypes.StringType, false),
                DataTypes.createStructField(Columns.GROUND_TRUTH, DataTypes.StringType, false),
                new StructField(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false,
                        embeddingMetadata(dim)),
                DataTypes.createStructField(IS_OOD, DataTypes.BooleanType, false)});
    }

    static Metadata embeddingMetadata(int dim) {
        return new EncoderInfo(ENCODER_ID, dim).metadata();
    }

    /** Builds the rows of one partition; each row from its own random stream. */
    static final class RowMaker implements MapPartitionsFunction<Long, Row> {
        private static final long serialVersionUID = 1L;

        private final Broadcast<SyntheticGeometry> geometry;
        private final long seed;
        private final int dim;
        private final double noise;
        private final double oodShare;
        private final double spread;

        RowMaker(Broadcast<SyntheticGeometry> geometry, long seed, int dim, double noise, double oodShare,
                 double spread) {
            this.geometry = geometry;
            this.seed = seed;
            this.dim = dim;
            this.noise = noise;
            this.oodShare = oodShare;
            this.spread = spread;
        }

        @Override
        public Iterator<Row> call(Iterator<Long> ids) {
            SyntheticGeometry g = geometry.value();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return ids.hasNext();
                }

                @Override
                public Row next() {
                    return row(g, ids.next());
                }
            };
        }

        /** The draws happen in a fixed order, so a row is a function of (seed, id) alone. */
        Row row(SyntheticGeometry g, long id) {
            SplittableRandom rnd = new SplittableRandom(rowSeed(seed, id));
            int k = g.names.length;
            int truth = g.label(rnd.nextDouble());
            boolean ood = rnd.nextDouble() < oodShare;
            int teacher = truth;
            if (rnd.nextDouble() < noise) {
                int other = rnd.nextInt(k - 1);
                teacher = other >= truth ? other + 1 : other;
            }
            float[] v = new float[dim];
            if (ood) {
                double[] dir = new double[dim];
                double n2 = 0;
                for (int i = 0; i < dim; i++) {
                    dir[i] = rnd.nextGaussian();
                    n2 += dir[i] * dir[i];
                }
                double r = g.oodRadius / Math.sqrt(n2);
                for (int i = 0; i < dim; i++) {
                    v[i] = (float) (r * dir[i] + spread * rnd.nextGaussian());
                }
            } else {
                double[] c = g.centroids[truth];
                for (int i = 0; i < dim; i++) {
                    v[i] = (float) (c[i] + spread * rnd.nextGaussian());
                }
            }
            // The text names neither the label nor the OOD flag: a real encoder run over it must
            // not find the answer in the input.
            String input = "synthetic query " + id;
            return RowFactory.create("syn-" + id, input, g.names[teacher], g.names[truth], v, ood);
        }

        /** SplitMix64 finaliser over (seed, id): neighbouring ids get unrelated streams. */
        static long rowSeed(long seed, long id) {
            return mix(seed ^ mix(id + 0x9E3779B97F4A7C15L));
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
