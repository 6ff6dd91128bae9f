package io.tracer.embed;

import io.tracer.BadInputException;
import io.tracer.config.ConfigLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltInEncoderTest {
    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(BuiltInEncoder.class)
    void vectorsAreFiniteNormalisedAndMeaningful(BuiltInEncoder encoder) {
        float[][] v = encoder.embed(List.of(
                "My card has not arrived yet.",
                "I am still waiting for my card to be delivered.",
                "What is the exchange rate for euros?",
                "The weather in Paris is lovely in spring."));
        assertEquals(4, v.length);
        for (float[] x : v) {
            assertEquals(encoder.dim(), x.length);
            for (float f : x) {
                assertTrue(Float.isFinite(f));
            }
            // Already L2-normalised: cosine similarity is the dot product.
            assertEquals(1.0, Math.sqrt(dot(x, x)), 1e-3);
        }
        double similar = dot(v[0], v[1]);
        assertTrue(similar > dot(v[0], v[2]), "card/card should beat card/exchange: " + similar);
        assertTrue(similar > dot(v[0], v[3]), "card/card should beat card/weather: " + similar);
        assertTrue(similar > 0.5, "paraphrases should be close: " + similar);
    }

    @ParameterizedTest
    @EnumSource(BuiltInEncoder.class)
    void batchingDoesNotChangeVectors(BuiltInEncoder encoder) {
        float[][] together = encoder.embed(List.of("top up failed", "how do I close my account"));
        float[][] alone = encoder.embed(List.of("how do I close my account"));
        assertEquals(1.0, dot(together[1], alone[0]), 1e-5);
        assertEquals(0, encoder.embed(List.of()).length);
    }

    @Test
    void theEncodersAreDifferentModels() {
        // Two ids for one model would let a policy route with vectors it was not fitted on.
        float[] minilm = BuiltInEncoder.MINILM.embed(List.of("how do I close my account"))[0];
        float[] bge = BuiltInEncoder.BGE_SMALL.embed(List.of("how do I close my account"))[0];
        assertTrue(dot(minilm, bge) < 0.5, "the two encoders gave nearly the same vector: " + dot(minilm, bge));
    }

    @Test
    void idsResolveAndUnknownOnesAreRefusedByName() {
        // conf/default.conf, the one place defaults live, names MiniLM
        assertSame(BuiltInEncoder.MINILM, BuiltInEncoder.configured(ConfigLoader.load(null, Map.of()).embed().encoder()));
        assertSame(BuiltInEncoder.BGE_SMALL, BuiltInEncoder.configured("bge-small-en-v1.5-q"));
        assertSame(BuiltInEncoder.MINILM, BuiltInEncoder.configured("all-minilm-l6-v2-q"));
        assertTrue(BuiltInEncoder.find(null).isEmpty());
        assertSame(BuiltInEncoder.BGE_SMALL, BuiltInEncoder.matching("bge-small-en-v1.5-q", 384).orElseThrow());
        assertTrue(BuiltInEncoder.matching("bge-small-en-v1.5-q", 16).isEmpty());
        assertTrue(BuiltInEncoder.matching(null, 384).isEmpty());
        BadInputException e = assertThrows(BadInputException.class, () -> BuiltInEncoder.configured("minilm"));
        assertTrue(e.getMessage().contains("tracer.embed.encoder") && e.getMessage().contains("minilm")
                && e.getMessage().contains("all-minilm-l6-v2-q, bge-small-en-v1.5-q"), e.getMessage());
    }
}
