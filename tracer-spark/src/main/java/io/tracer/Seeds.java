package io.tracer;

import java.nio.charset.StandardCharsets;

/**
 * Derives each stage's seed from the one root seed, so stages never share a random stream
 * and changing the root seed changes all of them.
 */
public final class Seeds {
    private Seeds() {}

    /** A seed for {@code stage} derived from {@code root} (SplitMix64 over root and the stage name). */
    public static long derive(long root, String stage) {
        long h = root * 0x9E3779B97F4A7C15L;
        for (byte b : stage.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xff));
        }
        return mix(h);
    }

    /** A non-negative int seed, for APIs (MLlib, XGBoost) that take int or want positive seeds. */
    public static int deriveInt(long root, String stage) {
        return (int) (derive(root, stage) >>> 33);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
