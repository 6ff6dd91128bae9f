/**
 * The certification math, plain Java with no Spark import so the Spark-free router and the
 * tests can reuse it: the exact binomial tail ({@link io.tracer.calibrate.BinomialTail}), the
 * Clopper-Pearson lower bound, cumulative counts along a strict-to-lenient threshold sequence
 * ({@link io.tracer.calibrate.ThresholdCounts}), the quantile ranks of the threshold grid,
 * where the fixed sequence starts ({@link io.tracer.calibrate.StartPoint}, selection split only),
 * the fixed-sequence test itself and its outcome ({@link io.tracer.calibrate.Certification}).
 *
 * <p>Everything here takes integer counts and returns doubles computed with
 * {@code org.apache.commons.math3.util.FastMath} (pure Java), so results are bit-for-bit the
 * same on every JVM and platform. docs/guarantee.md states what the procedure promises.
 */
package io.tracer.calibrate;
