package io.tracer.embed;

import io.tracer.BadInputException;
import io.tracer.Columns;
import io.tracer.config.ConfigLoader;
import io.tracer.config.TracerConfig;
import io.tracer.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbedderTest {
    private final SparkSession spark = SparkTestSession.get();

    private static TracerConfig.Embed config(boolean cache) {
        TracerConfig.Embed d = ConfigLoader.load(null, Map.of()).embed();
        return new TracerConfig.Embed(d.encoder(), 16, cache, d.commitEvery(), 20);
    }

    /** 50 traces over 40 distinct texts (the last 10 repeat earlier ones). */
    private Dataset<Row> traces() {
        StructType schema = new StructType().add(Columns.TRACE_ID, DataTypes.StringType)
                .add(Columns.INPUT, DataTypes.StringType).add(Columns.TEACHER, DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int text = i < 40 ? i : i - 40;
            rows.add(RowFactory.create("t" + i, "how do I do task number " + text + "?", "l" + (i % 3)));
        }
        return spark.createDataFrame(rows, schema);
    }

    @Test
    void embedsWithMetadataAndReusesTheCache(@TempDir Path dir) {
        String cache = dir.resolve("cache").toUri().toString();
        Embedder embedder = new Embedder(spark, config(true), Optional.of(cache));
        EmbedResult first = embedder.embed(traces());
        assertEquals(40, first.distinctTexts());
        assertEquals(40, first.newlyEmbedded());
        assertEquals(0, first.cachedTexts());

        String out = dir.resolve("out").toUri().toString();
        first.embedded().write().format("delta").save(out);
        Dataset<Row> back = spark.read().format("delta").load(out);
        assertEquals(50, back.count());
        assertEquals(Optional.of(new EncoderInfo(BuiltInEncoder.MINILM.id(), 384)), EncoderInfo.of(back));
        assertEquals(50, back.filter(size(col(Columns.EMBEDDING)).equalTo(384)).count());
        // Repeated texts get the same vector.
        List<Row> same = back.filter(col(Columns.TRACE_ID).isin("t0", "t40")).select(Columns.EMBEDDING).collectAsList();
        assertEquals(same.get(0).getList(0), same.get(1).getList(0));

        EmbedResult second = embedder.embed(traces());
        assertEquals(0, second.newlyEmbedded());
        assertEquals(40, second.cachedTexts());
        assertEquals(50, second.embedded().filter(col(Columns.EMBEDDING).isNotNull()).count());
        assertEquals(40, spark.read().format("delta").load(cache).count());

        // Already embedded with this encoder: returned as is.
        assertEquals(0, embedder.embed(back).distinctTexts());
    }

    /**
     * New vectors reach the cache a chunk at a time, one Delta commit each, so a run killed half
     * way leaves the finished chunks for the re-run: here a run whose cache already holds some
     * chunks (as a killed run would leave it) encodes only the rest.
     */
    @Test
    void newVectorsAreCommittedInChunksAndARerunEncodesOnlyWhatIsMissing(@TempDir Path dir) {
        String cache = dir.resolve("cache").toUri().toString();
        TracerConfig.Embed chunked = new TracerConfig.Embed(BuiltInEncoder.MINILM.id(), 16, true, 12, 20);
        EmbedResult first = new Embedder(spark, chunked, Optional.of(cache)).embed(traces().limit(25));
        assertEquals(25, first.newlyEmbedded());
        // 25 texts in chunks of about 12: three commits after the table's creation
        long commits = spark.sql("DESCRIBE HISTORY delta.`" + cache + "`").count();
        assertEquals(3, commits, "one commit per chunk");
        assertEquals(25, spark.read().format("delta").load(cache).count());

        EmbedResult rest = new Embedder(spark, chunked, Optional.of(cache)).embed(traces());
        assertEquals(40, rest.distinctTexts());
        assertEquals(25, rest.cachedTexts());
        assertEquals(15, rest.newlyEmbedded());
        assertEquals(40, spark.read().format("delta").load(cache).count());
        assertEquals(50, rest.embedded().filter(size(col(Columns.EMBEDDING)).equalTo(384)).count());
    }

    /**
     * The embedded table joins the cache's vectors (only those these traces need) with the ones
     * just encoded: a text gets the same vector from either, a cache holding other texts adds
     * nothing, and a hash the cache holds twice (two runs appended it at once) still gives one row
     * per trace.
     */
    @Test
    void vectorsFromTheCacheMatchFreshOnesAndDuplicatesInTheCacheAddNoRows(@TempDir Path dir) {
        String cache = dir.resolve("cache").toUri().toString();
        Embedder embedder = new Embedder(spark, config(true), Optional.of(cache));
        // Fresh: the first 30 traces (30 distinct texts), no cache yet.
        EmbedResult fresh = embedder.embed(traces().limit(30));
        Map<String, List<Object>> freshVectors = vectorsById(fresh.embedded());
        fresh.unpersist();
        // Another text the traces below do not have, and every cached row twice.
        embedder.embed(spark.createDataFrame(List.of(RowFactory.create("x", "a text no trace below has", "l0")),
                traces().schema())).unpersist();
        spark.read().format("delta").load(cache).write().format("delta").mode("append").save(cache);
        assertEquals(62, spark.read().format("delta").load(cache).count());

        EmbedResult mixed = embedder.embed(traces());
        assertEquals(40, mixed.distinctTexts());
        assertEquals(30, mixed.cachedTexts());
        assertEquals(10, mixed.newlyEmbedded());
        Map<String, List<Object>> mixedVectors = vectorsById(mixed.embedded());
        assertEquals(50, mixed.embedded().count(), "one row per trace, however often the cache holds a hash");
        assertEquals(50, mixedVectors.size());
        freshVectors.forEach((id, v) -> assertEquals(v, mixedVectors.get(id), "trace " + id));
        // t40..t49 repeat t0..t9's texts: one from the cache, the other the same vector.
        for (int i = 40; i < 50; i++) {
            assertEquals(mixedVectors.get("t" + (i - 40)), mixedVectors.get("t" + i), "trace t" + i);
        }
        mixed.unpersist();
    }

    private static Map<String, List<Object>> vectorsById(Dataset<Row> embedded) {
        Map<String, List<Object>> out = new java.util.TreeMap<>();
        for (Row r : embedded.select(Columns.TRACE_ID, Columns.EMBEDDING).collectAsList()) {
            assertEquals(384, r.getList(1).size(), "trace " + r.getString(0));
            out.put(r.getString(0), r.getList(1));
        }
        return out;
    }

    @Test
    void worksWithoutCache() {
        EmbedResult r = new Embedder(spark, config(false), Optional.empty()).embed(traces().limit(5));
        assertEquals(5, r.newlyEmbedded());
        assertEquals(5, r.embedded().filter(size(col(Columns.EMBEDDING)).equalTo(384)).count());
        r.unpersist();
    }

    /**
     * {@code tracer.embed.encoder} picks the encoder: its vectors come out tagged with its id, equal
     * to the encoder's own, and the cache keeps encoders apart (a text cached by one is encoded
     * afresh by the other, never handed the other's vector).
     */
    @Test
    void theConfiguredEncoderMakesTheVectorsAndTheCacheKeepsEncodersApart(@TempDir Path dir) {
        String cache = dir.resolve("cache").toUri().toString();
        Dataset<Row> few = traces().limit(6);
        EmbedResult minilm = new Embedder(spark, config(true), Optional.of(cache)).embed(few);
        assertEquals(6, minilm.newlyEmbedded());
        TracerConfig.Embed d = config(true);
        TracerConfig.Embed bgeConfig = new TracerConfig.Embed(BuiltInEncoder.BGE_SMALL.id(), d.batchSize(), true,
                d.commitEvery(), d.logEvery());
        EmbedResult bge = new Embedder(spark, bgeConfig, Optional.of(cache)).embed(few);
        assertEquals(0, bge.cachedTexts(), "the cache handed one encoder's vectors to another");
        assertEquals(6, bge.newlyEmbedded());
        assertEquals(Optional.of(BuiltInEncoder.BGE_SMALL.info()), EncoderInfo.of(bge.embedded()));
        List<Row> rows = bge.embedded().orderBy(Columns.TRACE_ID).select(Columns.INPUT, Columns.EMBEDDING).collectAsList();
        for (Row r : rows) {
            float[] expected = BuiltInEncoder.BGE_SMALL.embed(List.of(r.getString(0)))[0];
            List<Float> got = r.getList(1);
            assertEquals(expected.length, got.size());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got.get(i), 1e-5f, "coordinate " + i + " of " + r.getString(0));
            }
        }
        // A second bge run finds its own vectors; the cache holds both encoders' rows.
        EmbedResult again = new Embedder(spark, bgeConfig, Optional.of(cache)).embed(few);
        assertEquals(6, again.cachedTexts());
        assertEquals(12, spark.read().format("delta").load(cache).count());
        minilm.unpersist();
        bge.unpersist();
        again.unpersist();
    }

    @Test
    void refusesVectorsFromAnotherEncoder() {
        Dataset<Row> other = new EncoderInfo("other-encoder", 3).tag(
                traces().withColumn(Columns.EMBEDDING, org.apache.spark.sql.functions.array(
                        org.apache.spark.sql.functions.lit(1f), org.apache.spark.sql.functions.lit(2f),
                        org.apache.spark.sql.functions.lit(3f))));
        EncoderInfo minilm = new EncoderInfo(BuiltInEncoder.MINILM.id(), 384);
        BadInputException e = assertThrows(BadInputException.class, () -> EncoderInfo.require(other, minilm));
        assertTrue(e.getMessage().contains("other-encoder"), e.getMessage());
        assertThrows(BadInputException.class, () -> EncoderInfo.require(traces(), minilm));
        assertEquals(new EncoderInfo("other-encoder", 3), EncoderInfo.require(other, new EncoderInfo("other-encoder", 3)));
        BadInputException unknown = assertThrows(BadInputException.class, () -> new Embedder(spark,
                new TracerConfig.Embed("nope", 8, false, 100, 10), Optional.empty()));
        assertTrue(unknown.getMessage().contains("nope"));
    }
}
