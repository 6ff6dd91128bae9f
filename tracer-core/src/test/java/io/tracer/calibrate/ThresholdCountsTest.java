package io.tracer.calibrate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThresholdCountsTest {

    @Test
    void countIsCumulativeAndUsesGreaterOrEqual() {
        double[] t = {0.9, 0.5, 0.2};
        double[] s = {0.95, 0.9, 0.6, 0.5, 0.3, 0.1, Double.NaN, -0.0};
        boolean[] a = {true, false, true, true, false, true, true, true};
        ThresholdCounts c = ThresholdCounts.count(t, s, a);
        assertArrayEquals(new long[] {2, 4, 5}, c.accepted());
        assertArrayEquals(new long[] {1, 3, 3}, c.agreeing());
        assertEquals(8, c.n());
        assertEquals(1, c.unscored());
        assertEquals(5.0 / 8, c.coverage(2));
        assertEquals(0.5, c.agreement(0));
        // 0.0 threshold accepts a -0.0 score, as score >= t says.
        ThresholdCounts z = ThresholdCounts.count(new double[] {0.0}, new double[] {-0.0}, new boolean[] {true});
        assertEquals(1, z.accepted(0));
    }

    @Test
    void fromBinsEqualsCount() {
        double[] t = {0.9, 0.5, 0.2};
        ThresholdCounts a = ThresholdCounts.fromBins(t, new long[] {2, 2, 1}, new long[] {1, 2, 0}, 8, 1);
        ThresholdCounts b = ThresholdCounts.count(t, new double[] {0.95, 0.9, 0.6, 0.5, 0.3, 0.1, Double.NaN, 0.0},
                new boolean[] {true, false, true, true, false, true, true, true});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void rejectsMalformedCounts() {
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdCounts(new double[] {0.5, 0.9}, new long[] {1, 2}, new long[] {1, 1}, 5, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdCounts(new double[] {0.9, 0.5}, new long[] {3, 2}, new long[] {1, 1}, 5, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdCounts(new double[] {0.9, 0.5}, new long[] {1, 2}, new long[] {1, 3}, 5, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdCounts(new double[] {0.9, 0.5}, new long[] {1, 5}, new long[] {1, 1}, 5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdCounts(new double[] {Double.NaN}, new long[] {1}, new long[] {1}, 5, 0));
    }

    @Test
    void immutableCopies() {
        double[] t = {0.9, 0.5};
        long[] acc = {1, 2};
        ThresholdCounts c = new ThresholdCounts(t, acc, new long[] {1, 1}, 5, 0);
        acc[0] = 2;
        c.accepted()[1] = 99;
        assertEquals(1, c.accepted(0));
        assertEquals(2, c.accepted(1));
    }

    @Test
    void scalingRoundsHalfUpAndStaysCumulative() {
        ThresholdCounts sel = new ThresholdCounts(new double[] {0.9, 0.5, 0.1}, new long[] {1, 3, 5},
                new long[] {1, 2, 4}, 6, 1);
        ThresholdCounts cal = sel.scaledTo(3);
        // 1*3/6 = 0.5 -> 1; 3*3/6 = 1.5 -> 2; 5*3/6 = 2.5 -> 3; agreeing 0.5 -> 1, 1 -> 1, 2 -> 2.
        assertArrayEquals(new long[] {1, 2, 3}, cal.accepted());
        assertArrayEquals(new long[] {1, 1, 2}, cal.agreeing());
        assertEquals(3, cal.n());
        assertEquals(0, cal.unscored()); // round(0.5) = 1 but only 0 rows remain unaccepted
        assertEquals(new ThresholdCounts(sel.thresholds(), new long[] {0, 0, 0}, new long[] {0, 0, 0}, 10, 0),
                new ThresholdCounts(sel.thresholds(), new long[] {0, 0, 0}, new long[] {0, 0, 0}, 0, 0).scaledTo(10));
        assertNotEquals(sel, cal);
    }
}
