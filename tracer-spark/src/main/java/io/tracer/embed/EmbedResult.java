package io.tracer.embed;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The traces with their {@link io.tracer.Columns#EMBEDDING} column (tagged with {@code encoder}).
 *
 * @param distinctTexts texts that needed a vector (after dedupe)
 * @param cachedTexts   of those, found in the cache
 * @param newlyEmbedded of those, run through the encoder in this call
 * @param seconds       wall time of the encoding step
 */
public record EmbedResult(Dataset<Row> embedded, EncoderInfo encoder, long distinctTexts, long cachedTexts,
                          long newlyEmbedded, double seconds, Runnable release) {
    /** Texts run through the encoder per second, 0 when none were. */
    public double textsPerSecond() {
        return newlyEmbedded == 0 || seconds <= 0 ? 0 : newlyEmbedded / seconds;
    }

    /** Frees what this result keeps persisted (the new vectors, when there is no cache to read them back from). */
    public void unpersist() {
        release.run();
    }
}
