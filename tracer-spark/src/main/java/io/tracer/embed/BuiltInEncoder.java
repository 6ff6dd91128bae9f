package io.tracer.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tracer.BadInputException;
import io.tracer.config.ConfigKeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sentence encoders built into the jar, each run in-process through ONNX from the model inside
 * its langchain4j jar, so they work offline. Plain Java (no Spark) so the router can make the same
 * vectors as training. {@code tracer.embed.encoder} names one by its id; a policy records the id
 * its models read, and text routed without vectors is encoded with that one.
 *
 * <ul>
 *   <li>{@link #MINILM}, the default: quantized all-MiniLM-L6-v2, 6 layers, mean-pooled.</li>
 *   <li>{@link #BGE_SMALL}: quantized BAAI bge-small-en-v1.5, 12 layers, CLS-pooled. About half
 *       MiniLM's speed (B5's sets, 2 threads: 456-465 against 849-923 texts/s) for vectors that
 *       separate intents better (README, B1).</li>
 * </ul>
 *
 * <p>One model per encoder per JVM, loaded on first use (a lazy holder: a second or two and
 * 25-35 MB). The ONNX session is thread-safe, so Spark tasks and router threads share it. Texts run
 * on the calling thread (a caller-runs executor instead of langchain4j's own pool), which keeps
 * concurrency where the caller put it: one Spark task slot is one embedding thread.
 *
 * <p>Output vectors are L2-normalised (langchain4j pools then normalises; {@code
 * BuiltInEncoderTest} checks norms are 1), so cosine similarity is a dot product. Texts longer than
 * the model's 512 tokens are split and their vectors averaged by langchain4j.
 */
public enum BuiltInEncoder {
    MINILM("all-minilm-l6-v2-q", 384),
    BGE_SMALL("bge-small-en-v1.5-q", 384);

    private final String id;
    private final int dim;

    BuiltInEncoder(String id, int dim) {
        this.id = id;
        this.dim = dim;
    }

    public String id() {
        return id;
    }

    public int dim() {
        return dim;
    }

    /** What vectors of this encoder are tagged with. */
    public EncoderInfo info() {
        return new EncoderInfo(id, dim);
    }

    /** The built-in encoder with this id, if there is one. */
    public static Optional<BuiltInEncoder> find(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
    }

    /**
     * The built-in encoder that makes vectors of this id and width, if there is one: what routing
     * needs to encode text for a policy, and what a history's vectors can be kept with.
     */
    public static Optional<BuiltInEncoder> matching(String id, int dim) {
        return find(id).filter(e -> e.dim == dim);
    }

    /** The built-in encoder of a configuration value, or a clear error listing the ones there are. */
    public static BuiltInEncoder configured(String id) {
        return find(id).orElseThrow(() -> new BadInputException("configuration " + ConfigKeys.EMBED_ENCODER
                + ": unknown encoder " + id + " (built in: " + ids() + ")"));
    }

    /** The built-in encoders' ids, comma separated, for messages. */
    public static String ids() {
        return Arrays.stream(values()).map(BuiltInEncoder::id).collect(Collectors.joining(", "));
    }

    /** One vector per text, in order. Empty strings are embedded too (the models accept them). */
    public float[][] embed(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<Embedding> out = model().embedAll(segments).content();
        float[][] vectors = new float[out.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = out.get(i).vector();
        }
        return vectors;
    }

    /** Loads the model now rather than on the first call (e.g. at executor start). */
    public void warmUp() {
        embed(List.of("warm up"));
    }

    private EmbeddingModel model() {
        switch (this) {
            case MINILM:
                return MiniLm.MODEL;
            case BGE_SMALL:
                return BgeSmall.MODEL;
            default:
                throw new AssertionError(this);
        }
    }

    // One holder class per model: the JVM loads each on first use, once, thread-safely, and never
    // loads a model nobody asked for.
    private static final class MiniLm {
        static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    private static final class BgeSmall {
        static final EmbeddingModel MODEL = new BgeSmallEnV15QuantizedEmbeddingModel(Runnable::run);
    }
}
