package io.tracer.serve;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * {@code String.format(Locale.US, "%.4f", v)} without the Formatter: the reason details print a
 * score or a distance per deferred row, and parsing the format string each time cost more than
 * the rest of the row's routing.
 *
 * <p>Java's Formatter takes the shortest decimal digits that identify the double (those of
 * {@link Double#toString}) and rounds them half-up to the precision; it writes a minus for every
 * negative value, -0.0 and values that round to zero included, then the digits of the absolute
 * value. This does the same with BigDecimal; NaN and the infinities go to the Formatter itself.
 * {@code FixedPointTest} compares the two over millions of values of every magnitude.
 */
final class FixedPoint {
    private FixedPoint() {}

    static String fourDecimals(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.format(Locale.US, "%.4f", v);
        }
        String digits = new BigDecimal(Double.toString(Math.abs(v))).setScale(4, RoundingMode.HALF_UP).toPlainString();
        return Double.compare(v, 0.0) < 0 ? "-" + digits : digits;
    }
}
