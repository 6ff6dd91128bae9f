package io.tracer.embed;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniLmEncoderTest {
    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void vectorsAre384WideFiniteNormalisedAndMeaningful() {
        float[][] v = MiniLmEncoder.embed(List.of(
                "My card has not arrived yet.",
                "I am still waiting for my card to be delivered.",
                "What is the exchange rate for euros?",
                "The weather in Paris is lovely in spring."));
        assertEquals(4, v.length);
        for (float[] x : v) {
            assertEquals(MiniLmEncoder.DIM, x.length);
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

    @Test
    void batchingDoesNotChangeVectors() {
        float[][] together = MiniLmEncoder.embed(List.of("top up failed", "how do I close my account"));
        float[][] alone = MiniLmEncoder.embed(List.of("how do I close my account"));
        assertEquals(1.0, dot(together[1], alone[0]), 1e-5);
        assertEquals(0, MiniLmEncoder.embed(List.of()).length);
    }
}
