package io.tracer.calibrate;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Cumulative counts along a threshold sequence ordered strict to lenient (descending: a row is
 * accepted at threshold {@code t} iff its score {@code >= t}). {@code accepted[i]} and
 * {@code agreeing[i]} count the rows accepted at {@code thresholds[i]} and, of those, the ones
 * agreeing with the teacher; both are non-decreasing along the sequence. {@code n} is every row
 * of the split, including {@code unscored} rows (NaN or null score), which are never accepted
 * but still count as traffic, so coverage is a share of all traffic.
 *
 * <p>Arrays are copied in and out, so an instance is immutable; equality is by content.
 */
public record ThresholdCounts(double[] thresholds, long[] accepted, long[] agreeing, long n, long unscored) {

    public ThresholdCounts {
        thresholds = thresholds.clone();
        accepted = accepted.clone();
        agreeing = agreeing.clone();
        if (accepted.length != thresholds.length || agreeing.length != thresholds.length) {
            throw new IllegalArgumentException("thresholds, accepted and agreeing differ in length: "
                    + thresholds.length + ", " + accepted.length + ", " + agreeing.length);
        }
        if (n < 0 || unscored < 0 || unscored > n) {
            throw new IllegalArgumentException("need 0 <= unscored <= n, got unscored=" + unscored + " n=" + n);
        }
        long prevAcc = 0;
        long prevAgr = 0;
        for (int i = 0; i < thresholds.length; i++) {
            if (Double.isNaN(thresholds[i])) {
                throw new IllegalArgumentException("threshold " + i + " is NaN");
            }
            // -0.0 and 0.0 accept the same rows under >=; keep one spelling so equality is by value.
            thresholds[i] = thresholds[i] + 0.0;
            if (i > 0 && !(thresholds[i] < thresholds[i - 1])) {
                throw new IllegalArgumentException("thresholds must be strictly descending (strict to lenient); "
                        + "threshold " + i + " = " + thresholds[i] + " follows " + thresholds[i - 1]);
            }
            // Only what the test needs: cumulative, and agreeing <= accepted. Real counts also have
            // agreeing bins <= accepted bins, but scaled (rounded) counts need not, and that is harmless.
            if (accepted[i] < prevAcc || agreeing[i] < prevAgr || agreeing[i] > accepted[i] || agreeing[i] < 0) {
                throw new IllegalArgumentException("counts at threshold " + i + " are not cumulative with agreeing"
                        + " <= accepted: accepted " + prevAcc + " -> " + accepted[i] + ", agreeing " + prevAgr
                        + " -> " + agreeing[i]);
            }
            prevAcc = accepted[i];
            prevAgr = agreeing[i];
        }
        if (prevAcc > n - unscored) {
            throw new IllegalArgumentException("accepted " + prevAcc + " exceeds the scored rows " + (n - unscored));
        }
    }

    /**
     * From per-bin counts: bin {@code i} holds the rows first accepted at {@code thresholds[i]}
     * (score in {@code [thresholds[i], thresholds[i-1])}, bin 0 is score {@code >= thresholds[0]}).
     * Rows below the most lenient threshold and unscored rows are in {@code n} only.
     */
    public static ThresholdCounts fromBins(double[] thresholds, long[] binRows, long[] binAgreeing,
                                           long n, long unscored) {
        if (binRows.length != thresholds.length || binAgreeing.length != thresholds.length) {
            throw new IllegalArgumentException("one bin per threshold expected");
        }
        long[] acc = new long[thresholds.length];
        long[] agr = new long[thresholds.length];
        long a = 0;
        long g = 0;
        for (int i = 0; i < thresholds.length; i++) {
            a = Math.addExact(a, binRows[i]);
            g = Math.addExact(g, binAgreeing[i]);
            acc[i] = a;
            agr[i] = g;
        }
        return new ThresholdCounts(thresholds, acc, agr, n, unscored);
    }

    /** A sequence of one threshold: the "global" policy that accepts every scored row is this with its one count. */
    public static ThresholdCounts single(double threshold, long accepted, long agreeing, long n) {
        return new ThresholdCounts(new double[] {threshold}, new long[] {accepted}, new long[] {agreeing},
                n, n - accepted);
    }

    /**
     * Plain-Java recount: accepts {@code scores[r] >= thresholds[i]}; NaN scores are unscored.
     * The Spark counter must agree with this bit for bit.
     */
    public static ThresholdCounts count(double[] thresholds, double[] scores, boolean[] agree) {
        if (scores.length != agree.length) {
            throw new IllegalArgumentException("scores and agree differ in length");
        }
        int m = thresholds.length;
        double[] ascending = new double[m];
        for (int i = 0; i < m; i++) {
            ascending[i] = thresholds[m - 1 - i] + 0.0;
        }
        long[] binRows = new long[m];
        long[] binAgree = new long[m];
        long unscored = 0;
        for (int r = 0; r < scores.length; r++) {
            double s = scores[r];
            if (Double.isNaN(s)) {
                unscored++;
                continue;
            }
            // Number of thresholds <= s; the strictest of them is the bin.
            int below = upperBound(ascending, s + 0.0);
            if (below == 0) {
                continue;
            }
            int bin = m - below;
            binRows[bin]++;
            if (agree[r]) {
                binAgree[bin]++;
            }
        }
        return fromBins(thresholds, binRows, binAgree, scores.length, unscored);
    }

    private static int upperBound(double[] ascending, double s) {
        int lo = 0;
        int hi = ascending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] <= s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * These counts rescaled to a split of {@code rows} rows: every count c becomes
     * {@code round(c * rows / n)}, rounding half up in exact integer arithmetic (so the result is
     * deterministic, still cumulative and still has agreeing &lt;= accepted, since rounding is
     * monotone). With n = 0 every
     * count is 0. Used to predict, on the selection split, what the calibration test will see.
     */
    public ThresholdCounts scaledTo(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        int m = thresholds.length;
        long[] acc = new long[m];
        long[] agr = new long[m];
        for (int i = 0; i < m; i++) {
            acc[i] = scale(accepted[i], rows, n);
            agr[i] = scale(agreeing[i], rows, n);
        }
        long maxAccepted = m == 0 ? 0 : acc[m - 1];
        long un = Math.min(scale(unscored, rows, n), rows - maxAccepted);
        return new ThresholdCounts(thresholds, acc, agr, rows, un);
    }

    private static long scale(long count, long rows, long n) {
        if (n == 0) {
            return 0;
        }
        BigInteger num = BigInteger.valueOf(count).multiply(BigInteger.valueOf(rows)).shiftLeft(1)
                .add(BigInteger.valueOf(n));
        return num.divide(BigInteger.valueOf(n).shiftLeft(1)).longValueExact();
    }

    public int size() { return thresholds.length; }

    public double threshold(int i) { return thresholds[i]; }

    public long accepted(int i) { return accepted[i]; }

    public long agreeing(int i) { return agreeing[i]; }

    /** Share of all rows (scored or not) accepted at threshold i; 0 when n = 0. */
    public double coverage(int i) { return n == 0 ? 0.0 : (double) accepted[i] / n; }

    /** Share of accepted rows that agree at threshold i; NaN when nothing is accepted. */
    public double agreement(int i) { return accepted[i] == 0 ? Double.NaN : (double) agreeing[i] / accepted[i]; }

    @Override public double[] thresholds() { return thresholds.clone(); }

    @Override public long[] accepted() { return accepted.clone(); }

    @Override public long[] agreeing() { return agreeing.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThresholdCounts c && n == c.n && unscored == c.unscored
                && Arrays.equals(thresholds, c.thresholds) && Arrays.equals(accepted, c.accepted)
                && Arrays.equals(agreeing, c.agreeing);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(thresholds) + Arrays.hashCode(accepted))
                + Arrays.hashCode(agreeing)) + Long.hashCode(n) * 17 + Long.hashCode(unscored);
    }

    @Override
    public String toString() {
        return "ThresholdCounts[size=" + thresholds.length + ", n=" + n + ", unscored=" + unscored
                + (thresholds.length == 0 ? "" : ", first=(" + thresholds[0] + ", " + accepted[0] + ", " + agreeing[0]
                + "), last=(" + thresholds[thresholds.length - 1] + ", " + accepted[thresholds.length - 1]
                + ", " + agreeing[thresholds.length - 1] + ")") + "]";
    }
}
