package io.tracer.route;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Which handled rows are also sent to the teacher so the audit can check them: a hash of the
 * trace id below the share. Deterministic, so the router that marks the sample and the audit
 * that counts it agree row for row, and independent of the policy's scores (a sample chosen by
 * score would not estimate agreement on all handled traffic).
 */
public final class ShadowSample {
    private static final long BUCKETS = 1_000_000L;
    private static final String SALT = "tracer-shadow-v1";

    private ShadowSample() {}

    /** True for the share {@code share} (in [0, 1]) of trace ids. */
    public static Column contains(Column traceId, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new io.tracer.BadInputException("--shadow-share must be in [0, 1], was " + share);
        }
        if (share >= 1) {
            return lit(true);
        }
        if (share <= 0) {
            return lit(false);
        }
        return pmod(xxhash64(lit(SALT), traceId), lit(BUCKETS)).lt(lit(Math.round(share * BUCKETS)));
    }
}
