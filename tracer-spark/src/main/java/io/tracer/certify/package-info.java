/**
 * The certify stage: per target, one candidate pipeline is chosen on the selection split and
 * certified once on the calibration split ({@link io.tracer.certify.TargetSelector}); the
 * outcome is a sealed {@link io.tracer.certify.TargetOutcome}, deployed with its certificate or
 * nothing deployed with the reason. The math (binomial tails, the fixed-sequence test) is in
 * {@code io.tracer.calibrate}; docs/guarantee.md says why choosing on selection and certifying
 * once on calibration keeps the guarantee.
 */
package io.tracer.certify;
