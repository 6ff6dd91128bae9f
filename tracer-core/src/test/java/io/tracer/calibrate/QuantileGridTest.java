package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class QuantileGridTest {

    @Test
    void ranksIncludeTheMinimumAndAreDistinct() {
        assertArrayEquals(new long[] {0, 2, 5, 7}, QuantileGrid.ranks(10, 4));
        assertArrayEquals(new long[] {0, 1, 2}, QuantileGrid.ranks(3, 10));
        assertArrayEquals(new long[0], QuantileGrid.ranks(0, 10));
        assertEquals(2000, QuantileGrid.ranks(3_000_000_000L, 2000).length);
    }

    @Test
    void gridIsDescendingDistinctAndReachesTheMinimum() {
        double[] scores = {0.3, 0.1, Double.NaN, 0.7, 0.7, 0.7, 0.9, 0.5, -0.0, 0.2};
        double[] g = QuantileGrid.fromScores(scores, 5);
        // 9 scored sorted: 0.0 0.1 0.2 0.3 0.5 0.7 0.7 0.7 0.9; ranks 0,1,3,5,7 -> 0.0,0.1,0.3,0.7,0.7.
        assertArrayEquals(new double[] {0.7, 0.3, 0.1, 0.0}, g);
    }
}
