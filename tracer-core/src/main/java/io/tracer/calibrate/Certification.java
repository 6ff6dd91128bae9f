package io.tracer.calibrate;

/**
 * Outcome of certifying one threshold sequence at one target: either a certified threshold or
 * a reason nothing was certified. Every variant carries the target and delta it was run at, so a
 * report or manifest can print it without the caller's context.
 */
public sealed interface Certification permits Certification.Certified, Certification.NotCertified {

    double target();

    double delta();

    /** True only for {@link Certified}. */
    default boolean isCertified() { return this instanceof Certified; }

    /** Certified coverage (share of all rows handled by the surrogate); 0 when nothing was certified. */
    default double certifiedCoverage() { return this instanceof Certified c ? c.coverage() : 0.0; }

    /**
     * Deploy {@code threshold} (accept iff score {@code >= threshold}): the most lenient threshold
     * of the sequence whose test rejected "agreement below target", together with its counts on
     * the calibration split. {@code startIndex} is where the sequence started,
     * {@code thresholdIndex} the certified position in it; {@code lowerBound} is the
     * Clopper-Pearson bound at {@code delta} and {@code pValue} the exact binomial p-value (both
     * for this threshold alone).
     */
    record Certified(int startIndex, int thresholdIndex, double threshold, long accepted, long agreeing, long n,
                     double coverage, double empiricalAgreement, double lowerBound, double pValue,
                     double target, double delta) implements Certification {}

    /** Nothing certified: the surrogate handles no traffic at this target. */
    sealed interface NotCertified extends Certification permits BelowTarget, InsufficientData {}

    /**
     * The first test of the sequence (at {@code thresholdIndex}, the start) did not reject:
     * the data do not show agreement above target there.
     */
    record BelowTarget(int thresholdIndex, double threshold, long accepted, long agreeing, long n, double pValue,
                       double target, double delta) implements NotCertified {}

    /**
     * The test could not succeed whatever the labels: no calibration rows, an empty sequence,
     * or fewer accepted rows at the start than {@code minimumAccepted}, the smallest count for
     * which even perfect agreement reaches p &lt;= delta. {@code thresholdIndex} is -1 when
     * there is no threshold to point at.
     */
    record InsufficientData(int thresholdIndex, long accepted, long n, long minimumAccepted, String reason,
                            double target, double delta) implements NotCertified {}
}
