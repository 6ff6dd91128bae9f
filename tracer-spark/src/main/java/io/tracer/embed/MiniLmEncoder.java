package io.tracer.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The quantized all-MiniLM-L6-v2 sentence encoder (384-d), run in-process through ONNX from
 * the model inside langchain4j's jar, so it works offline. Plain Java (no Spark) so the router
 * can use the same vectors as training.
 *
 * <p>One model per JVM (lazy holder): loading takes a second or two and ~25 MB, and the ONNX
 * session is thread-safe, so Spark tasks and router threads share it. Texts run on the calling
 * thread (a caller-runs executor instead of langchain4j's own pool), which keeps concurrency
 * where the caller put it: one Spark task slot is one embedding thread.
 *
 * <p>Output vectors are already L2-normalised (langchain4j's encoder mean-pools then normalises;
 * {@code MiniLmEncoderTest} checks norms are 1), so cosine similarity is a dot product. Texts
 * longer than the model's 512 tokens are split and their vectors averaged by langchain4j.
 */
public final class MiniLmEncoder {
    public static final String ID = "all-minilm-l6-v2-q";
    public static final int DIM = 384;

    private MiniLmEncoder() {}

    private static final class Holder {
        static final AllMiniLmL6V2QuantizedEmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    /** One 384-d vector per text, in order. Empty strings are embedded too (the model accepts them). */
    public static float[][] embed(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<Embedding> out = Holder.MODEL.embedAll(segments).content();
        float[][] vectors = new float[out.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = out.get(i).vector();
        }
        return vectors;
    }

    /** Loads the model now rather than on the first call (e.g. at executor start). */
    public static void warmUp() {
        embed(List.of("warm up"));
    }
}
