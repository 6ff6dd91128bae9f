package io.tracer.embed;

import io.delta.tables.DeltaTable;
import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.Faults;
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
    /** Partitions per core for the encoding stage, at least: >1 evens out slow partitions. */
    private static final int PARTITIONS_PER_CORE = 2;
    /**
     * Texts per encoding task, at most (a few seconds of one core). Per-task rates here varied
     * two-fold (335-663 texts/s), and with 4 tasks of 5,000 texts a chunk one core sat idle for
     * up to 6 s while the slowest finished; small tasks keep that tail short.
     */
    static final int TEXTS_PER_TASK = 1_000;

    private final SparkSession spark;
    private final TracerConfig.Embed config;
    private final Optional<String> cacheUri;
    private final BuiltInEncoder model;
    private final EncoderInfo encoder;

    /** @param cacheUri the cache Delta table; ignored when {@code tracer.embed.cache} is false */
    public Embedder(SparkSession spark, TracerConfig.Embed config, Optional<String> cacheUri) {
        this.model = BuiltInEncoder.configured(config.encoder());
        this.spark = spark;
        this.config = config;
        this.cacheUri = config.cache() ? cacheUri : Optional.empty();
        this.encoder = model.info();
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
        // Everything the embedded table reads from is kept persisted until the caller releases the
        // result: the final join then reads vectors from memory, not the cache table back.
        List<Dataset<Row>> vectors = new ArrayList<>();
        Runnable release = () -> vectors.forEach(Dataset::unpersist);
        try {
            long distinct = texts.count();
            Dataset<Row> missing = texts;
            long cached = 0;
            Optional<Dataset<Row>> cache = readCache();
            if (cache.isPresent()) {
                // Only the cached vectors these texts need: the cache grows with every run, and
                // reading (and deduplicating) all of it for each one would grow with it.
                Dataset<Row> hits = cache.get()
                        .join(texts.select(col(TEXT_HASH).as("_tracer_need")),
                                col(TEXT_HASH).equalTo(col("_tracer_need")), "left_semi")
                        // one per hash: concurrent runs may both have appended it (same vector)
                        .dropDuplicates(TEXT_HASH)
                        .persist(StorageLevel.MEMORY_AND_DISK());
                vectors.add(hits);
                cached = hits.count();
                missing = texts.join(hits, texts.col(TEXT_HASH).equalTo(hits.col(TEXT_HASH)), "left_anti");
            }
            long toEncode = distinct - cached;
            long start = System.nanoTime();
            if (toEncode > 0) {
                vectors.addAll(cacheUri.isPresent() ? encodeIntoCache(missing, toEncode, distinct, cacheUri.get())
                        : List.of(persisted(encode(missing, toEncode))));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("embedded {} new texts in {} s ({} texts/s); {} of {} distinct texts came from the cache",
                    toEncode, String.format("%.1f", seconds), toEncode == 0 ? 0 : Math.round(toEncode / seconds),
                    cached, distinct);
            Dataset<Row> all = vectors.stream().reduce(Dataset::union).orElseGet(() -> spark.createDataFrame(
                    java.util.Collections.emptyList(), vectorSchema()));
            Dataset<Row> withHash = traces.withColumn("_tracer_hash", sha2(col(Columns.INPUT), 256));
            List<Column> out = new ArrayList<>();
            for (String c : traces.columns()) {
                out.add(withHash.col(c));
            }
            out.add(encoder.tag(all.col(Columns.EMBEDDING), Columns.EMBEDDING));
            Dataset<Row> embedded = withHash.join(all, withHash.col("_tracer_hash").equalTo(all.col(TEXT_HASH)),
                    "left").select(out.toArray(Column[]::new));
            return new EmbedResult(embedded, encoder, distinct, cached, toEncode, seconds, release);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        } finally {
            texts.unpersist();
        }
    }

    /** {@code rows} persisted and computed now. */
    private static Dataset<Row> persisted(Dataset<Row> rows) {
        Dataset<Row> kept = rows.persist(StorageLevel.MEMORY_AND_DISK());
        kept.count();
        return kept;
    }

    /**
     * Encodes {@code missing} (text_hash, text) rows and appends them to the cache in chunks of
     * about {@code tracer.embed.commit-every} texts, one Delta commit each: a run killed half way
     * leaves every finished chunk in the cache, and the re-run encodes only the rest. A chunk is
     * the texts whose hash falls in one of {@code chunks} hash buckets, so chunks are disjoint and
     * the same on a re-run. Each chunk's vectors stay persisted (they are written from there) and
     * come back for the caller's join.
     *
     * <p>One chunk at a time: two at once left the executors no busier (Spark ran the first
     * chunk's tasks before the second's either way), and two first commits raced to create the
     * cache table.
     */
    private List<Dataset<Row>> encodeIntoCache(Dataset<Row> missing, long count, long distinct, String uri) {
        int chunks = (int) Math.max(1, (count + config.commitEvery() - 1) / config.commitEvery());
        LOG.info("embedding {} uncached of {} distinct texts with {} in {} chunk(s) of about {}, each committed "
                + "to the cache {}", count, distinct, encoder.id(), chunks, (count + chunks - 1) / chunks, uri);
        long[] sizes = chunkSizes(missing, chunks, count);
        Progress progress = new Progress(LOG, "embed", count, "texts", 30).estimateAfter(1);
        List<Dataset<Row>> fresh = new ArrayList<>();
        try {
            for (int c = 0; c < chunks; c++) {
                if (sizes[c] == 0) {
                    continue;
                }
                Dataset<Row> chunk = chunks == 1 ? missing : missing.where(chunkOf(chunks).equalTo(c));
                Dataset<Row> vectors = encode(chunk, sizes[c]).persist(StorageLevel.MEMORY_AND_DISK());
                fresh.add(vectors);
                appendToCache(vectors, uri);
                progress.advance(sizes[c], sizes[c]);
            }
            return fresh;
        } catch (RuntimeException | Error e) {
            fresh.forEach(Dataset::unpersist);
            throw e;
        }
    }

    /** Texts per chunk, counted in one pass (a count per chunk would scan the texts once each). */
    private static long[] chunkSizes(Dataset<Row> missing, int chunks, long count) {
        long[] sizes = new long[chunks];
        if (chunks == 1) {
            sizes[0] = count;
            return sizes;
        }
        for (Row r : missing.groupBy(chunkOf(chunks).as("chunk")).count().collectAsList()) {
            sizes[((Number) r.get(0)).intValue()] = r.getLong(1);
        }
        return sizes;
    }

    /** The chunk a text belongs to: a hash bucket, so chunks are disjoint and the same on a re-run. */
    private static Column chunkOf(int chunks) {
        return pmod(xxhash64(col(TEXT_HASH)), lit(chunks));
    }

    private static StructType vectorSchema() {
        return new StructType().add(TEXT_HASH, DataTypes.StringType, false)
                .add(Columns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    /** The rows' vectors, encoded in the executors (lazy). */
    private Dataset<Row> encode(Dataset<Row> missing, long count) {
        int partitions = (int) Math.max(Math.max(1, spark.sparkContext().defaultParallelism() * PARTITIONS_PER_CORE),
                Math.min(Integer.MAX_VALUE, (count + TEXTS_PER_TASK - 1) / TEXTS_PER_TASK));
        // Explicit repartition: the deduped set comes out of a shuffle that AQE would coalesce to
        // one partition for small inputs, leaving all but one core idle during encoding. Rows are
        // dealt round-robin, so each partition's size is known and its progress carries an estimate.
        long perPartition = (count + partitions - 1) / partitions;
        return missing.select(TEXT_HASH, TEXT).repartition(partitions)
                .mapPartitions(new EncodePartition(model, config.batchSize(), config.logEvery(), perPartition),
                        Encoders.row(vectorSchema()));
    }

    /** The cache's (text_hash, embedding) rows for this encoder; a hash may occur more than once. */
    private Optional<Dataset<Row>> readCache() {
        if (cacheUri.isEmpty() || !DeltaTable.isDeltaTable(spark, cacheUri.get())) {
            return Optional.empty();
        }
        return Optional.of(spark.read().format("delta").load(cacheUri.get())
                .filter(col(ENCODER).equalTo(encoder.id()))
                .select(TEXT_HASH, Columns.EMBEDDING));
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
