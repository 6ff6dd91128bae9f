package io.tracer.serve;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reason details' "%.4f" without the Formatter prints exactly what String.format prints (what
 * Spark's format_string printed before the kernel): scores and distances of every magnitude,
 * values on and next to a rounding tie, signs and zeros, and the non-finite values.
 */
class FixedPointTest {

    @Test
    void sameAsStringFormatOnEdgeValues() {
        double[] edges = {0.0, -0.0, 1.0, -1.0, 0.5, 0.00005, -0.00005, 0.00004999, 0.00015, 0.12345, 0.98765,
                1.00005, 2.5e-5, -1e-9, 1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, 1e7, 1.23456789e7, 9999999.99995, 123456789.12345, 1e22, 1e23,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2, 1 - 1e-16, Math.PI,
                -Math.E, 1.5, 2.5, 0.45, 0.55, 1.00000000000005};
        for (double v : edges) {
            check(v);
            check(Math.nextUp(v));
            check(Math.nextDown(v));
        }
    }

    @Test
    void sameAsStringFormatOnTiesAndTheirNeighbours() {
        for (int k = 0; k < 200_000; k++) {
            double tie = k / 10_000.0 + 0.00005;
            check(tie);
            check(Math.nextUp(tie));
            check(Math.nextDown(tie));
            check(-tie);
        }
    }

    @Test
    void sameAsStringFormatOnRandomValuesOfEveryMagnitude() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 300_000; i++) {
            check(r.nextDouble());
            check(r.nextGaussian() * Math.pow(10, r.nextInt(-12, 12)));
            check(Double.longBitsToDouble(r.nextLong()));
        }
    }

    private static void check(double v) {
        assertEquals(String.format(Locale.US, "%.4f", v), FixedPoint.fourDecimals(v), "value " + v);
    }
}
