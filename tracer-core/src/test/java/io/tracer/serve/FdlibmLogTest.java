package io.tracer.serve;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java fdlibm log gives {@link StrictMath#log}'s bits (what Spark SQL's log computes). */
class FdlibmLogTest {

    private static void same(double x) {
        long expected = Double.doubleToRawLongBits(StrictMath.log(x));
        long actual = Double.doubleToRawLongBits(FdlibmLog.log(x));
        if (Double.isNaN(StrictMath.log(x))) {
            assertEquals(true, Double.isNaN(FdlibmLog.log(x)), "log(" + x + ") should be NaN");
            return;
        }
        assertEquals(expected, actual, () -> "log(" + x + " = 0x" + Long.toHexString(Double.doubleToRawLongBits(x))
                + "): StrictMath " + StrictMath.log(x) + ", FdlibmLog " + FdlibmLog.log(x));
    }

    @Test
    void specialValues() {
        double[] xs = {0.0, -0.0, -1.0, -Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 1.0, Math.nextUp(1.0), Math.nextDown(1.0), 2.0, 0.5, Math.E, 10.0,
                Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE,
                Math.sqrt(2), Math.sqrt(2) / 2, 1e-300, 1e300, 77.0, 1.0 / 77};
        for (double x : xs) {
            same(x);
        }
    }

    @Test
    void probabilitiesBitForBit() {
        // what the entropy feature takes: softmax outputs in (0, 1], many near 0 and near 1
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            double u = r.nextDouble();
            same(u);
            same(Math.pow(u, 8));
            same(1.0 - u * 1e-6);
            same(Math.exp(-745 * u)); // down into the subnormals
        }
    }

    @Test
    void everyExponentAndRandomBits() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            same(Double.longBitsToDouble(r.nextLong() & 0x7fffffffffffffffL)); // any positive double, NaNs included
        }
        // mantissas around 1 + f for |f| < 2^-20, the short path, at many exponents
        for (int e = -1074; e <= 1023; e++) {
            double scale = Math.scalb(1.0, e);
            for (int d = -40; d <= 40; d++) {
                same(scale * (1.0 + d * 0x1p-30));
                same(Math.nextUp(scale * (1.0 + d * 0x1p-22)));
            }
        }
        // the boundaries of the [sqrt(2)/2, sqrt(2)) reduction and of the two polynomial branches
        for (int hx : new int[] {0x6a09e, 0x6a09f, 0x6147a, 0x6b851, 0x95f64, 0x95f63}) {
            for (int lo = -3; lo <= 3; lo++) {
                long bits = ((long) (0x3ff00000 | hx) << 32) + lo;
                same(Double.longBitsToDouble(bits));
                same(Double.longBitsToDouble(bits - (1L << 52)));
                same(Double.longBitsToDouble(bits + (5L << 52)));
            }
        }
    }
}
