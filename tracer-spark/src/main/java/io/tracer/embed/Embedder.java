package io.tracer.embed;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Faults;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import io.tracer.lakehouse.DeltaRetry;
import io.tracer.log.Progress;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Adds the {@link Columns#EMBEDDING} column to a trace table. Texts are deduplicated, looked up
 * in a Delta cache keyed by (sha2(text), encoder id), and only the missing ones are encoded, in
 * the executors ({@link EncodePartition}); the new vectors are then appended to the cache, so a
 * re-run on the same inputs encodes nothing.
 *
 * <p>Cache table columns: text_hash (sha2-256 hex of the UTF-8 text), encoder, embedding
 * (array&lt;float&gt;, tagged), created_at. Concurrent runs may append the same hash twice; readers
 * take one per hash, which is safe because the encoder is deterministic.
 */
public final class Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);
    public static final String TEXT_HASH = "text_hash";
    public static final String ENCODER = "encoder";
    public static final String CREATED_AT = "created_at";
    private static final String TEXT = "_tracer_text";
    /** Partitions per core for the encoding stage: >1 evens out slow partitions. */
    private static final int PARTITIONS_PER_CORE = 2;

    private final SparkSession spark;
    private final TracerConfig.Embed config;
    private final Optional<String> cacheUri;
    private final EncoderInfo encoder;

    /** @param cacheUri the cache Delta table; ignored when {@code tracer.embed.cache} is false */
    public Embedder(SparkSession spark, TracerConfig.Embed config, Optional<String> cacheUri) {
        if (!MiniLmEncoder.ID.equals(config.encoder())) {
            throw new BadInputException("configuration " + ConfigKeys.EMBED_ENCODER + ": unknown encoder " + config.encoder()
                    + " (supported: " + MiniLmEncoder.ID + ")");
        }
        this.spark = spark;
        this.config = config;
        this.cacheUri = config.cache() ? cacheUri : Optional.empty();
        this.encoder = new EncoderInfo(MiniLmEncoder.ID, MiniLmEncoder.DIM);
    }

    public EncoderInfo encoder() {
        return encoder;
    }

    /** @param traces a table with an {@link Columns#INPUT} column (e.g. {@code LoadedTraces.valid()}) */
    public EmbedResult embed(Dataset<Row> traces) {
        if (!Arrays.asList(traces.columns()).contains(Columns.INPUT)) {
            throw new BadInputException("cannot embed: the table has no " + Columns.INPUT + " column");
        }
        Optional<EncoderInfo> existing = EncoderInfo.of(traces);
        if (existing.isPresent() && existing.get().equals(encoder)) {
            LOG.info("traces already carry {} embeddings; nothing to embed", encoder.describe());
            return new EmbedResult(traces, encoder, 0, 0, 0, 0, () -> {});
        }
        if (Arrays.asList(traces.columns()).contains(Columns.EMBEDDING)) {
            LOG.warn("replacing the existing {} column ({}) with {} vectors", Columns.EMBEDDING,
                    existing.map(EncoderInfo::describe).orElse("encoder unknown"), encoder.describe());
            traces = traces.drop(Columns.EMBEDDING);
        }
        spark.sparkContext().setJobDescription("tracer: embed with " + encoder.id());
        try {
            return run(traces);
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    private EmbedResult run(Dataset<Row> traces) {
        Dataset<Row> texts = traces.select(sha2(col(Columns.INPUT), 256).as(TEXT_HASH), col(Columns.INPUT).as(TEXT))
                .dropDuplicates(TEXT_HASH)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long distinct = texts.count();
            Optional<Dataset<Row>> cached = readCache();
            Dataset<Row> missing = cached.map(c -> texts.join(c, texts.col(TEXT_HASH).equalTo(c.col(TEXT_HASH)),
                    "left_anti")).orElse(texts).persist(StorageLevel.MEMORY_AND_DISK());
            long toEncode = missing.count();
            long start = System.nanoTime();
            Dataset<Row> vectors;
            Runnable release;
            if (cacheUri.isPresent()) {
                encodeIntoCache(missing, toEncode, distinct, cacheUri.get());
                missing.unpersist();
                vectors = readCache().orElseThrow();
                release = () -> {};
            } else {
                Dataset<Row> fresh = encode(missing, toEncode).persist(StorageLevel.MEMORY_AND_DISK());
                fresh.count();
                missing.unpersist();
                vectors = fresh;
                release = fresh::unpersist;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("embedded {} new texts in {} s ({} texts/s); {} of {} distinct texts came from the cache",
                    toEncode, String.format("%.1f", seconds), toEncode == 0 ? 0 : Math.round(toEncode / seconds),
                    distinct - toEncode, distinct);
            Dataset<Row> withHash = traces.withColumn("_tracer_hash", sha2(col(Columns.INPUT), 256));
            List<Column> out = new ArrayList<>();
            for (String c : traces.columns()) {
                out.add(withHash.col(c));
            }
            out.add(encoder.tag(vectors.col(Columns.EMBEDDING), Columns.EMBEDDING));
            Dataset<Row> embedded = withHash.join(vectors, withHash.col("_tracer_hash").equalTo(vectors.col(TEXT_HASH)),
                    "left").select(out.toArray(Column[]::new));
            return new EmbedResult(embedded, encoder, distinct, distinct - toEncode, toEncode, seconds, release);
        } finally {
            texts.unpersist();
        }
    }

    /**
     * Encodes {@code missing} (text_hash, text) rows and appends them to the cache in chunks of
     * about {@code tracer.embed.commit-every} texts, one Delta commit each: a run killed half way
     * leaves every finished chunk in the cache, and the re-run encodes only the rest. A chunk is
     * the texts whose hash falls in one of {@code chunks} hash buckets, so chunks are disjoint and
     * the same on a re-run.
     */
    private void encodeIntoCache(Dataset<Row> missing, long count, long distinct, String uri) {
        if (count == 0) {
            return;
        }
        int chunks = (int) Math.max(1, (count + config.commitEvery() - 1) / config.commitEvery());
        LOG.info("embedding {} uncached of {} distinct texts with {} in {} chunk(s) of about {}, each committed "
                + "to the cache {}", count, distinct, encoder.id(), chunks, (count + chunks - 1) / chunks, uri);
        Progress progress = new Progress(LOG, "embed", count, "texts", 30).estimateAfter(1);
        for (int c = 0; c < chunks; c++) {
            Dataset<Row> chunk = chunks == 1 ? missing
                    : missing.where(pmod(xxhash64(col(TEXT_HASH)), lit(chunks)).equalTo(c));
            long rows = chunks == 1 ? count : chunk.count();
            appendToCache(encode(chunk, rows), uri);
            progress.advance(rows, rows);
        }
    }

    /** The rows' vectors, encoded in the executors (lazy). */
    private Dataset<Row> encode(Dataset<Row> missing, long count) {
        int partitions = Math.max(1, spark.sparkContext().defaultParallelism() * PARTITIONS_PER_CORE);
        StructType vectorSchema = new StructType().add(TEXT_HASH, DataTypes.StringType, false)
                .add(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        // Explicit repartition: the deduped set comes out of a shuffle that AQE would coalesce to
        // one partition for small inputs, leaving all but one core idle during encoding. Rows are
        // dealt round-robin, so each partition's size is known and its progress carries an estimate.
        long perPartition = (count + partitions - 1) / partitions;
        return missing.select(TEXT_HASH, TEXT).repartition(partitions)
                .mapPartitions(new EncodePartition(config.batchSize(), config.logEvery(), perPartition),
                        Encoders.row(vectorSchema));
    }

    private Optional<Dataset<Row>> readCache() {
        if (cacheUri.isEmpty() || !DeltaTable.isDeltaTable(spark, cacheUri.get())) {
            return Optional.empty();
        }
        return Optional.of(spark.read().format("delta").load(cacheUri.get())
                .filter(col(ENCODER).equalTo(encoder.id()))
                .select(TEXT_HASH, Columns.EMBEDDING)
                .dropDuplicates(TEXT_HASH));
    }

    private void appendToCache(Dataset<Row> fresh, String uri) {
        Faults.point("embed.cache");
        DeltaRetry.run("new vectors in the embedding cache " + uri, () -> fresh.select(col(TEXT_HASH), lit(encoder.id()).as(ENCODER),
                        encoder.tag(col(Columns.EMBEDDING), Columns.EMBEDDING), current_timestamp().as(CREATED_AT))
                .write().format("delta").mode("append")
                .option("userMetadata", "embedding cache: " + encoder.id())
                .save(uri));
        LOG.debug("appended new vectors to the embedding cache {}", uri);
        Faults.point("embed.cached");
    }
}
