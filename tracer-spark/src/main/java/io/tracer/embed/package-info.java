/**
 * Sentence embeddings: {@link io.tracer.embed.EncoderInfo} (which encoder made a vector, carried
 * in the embedding column's metadata so it travels through Delta), the plain-Java
 * {@link io.tracer.embed.BuiltInEncoder} (no Spark, reused by the router), and the Spark job
 * {@link io.tracer.embed.Embedder} that adds the embedding column in the executors and keeps a
 * Delta cache of vectors keyed by text hash and encoder id.
 */
package io.tracer.embed;
