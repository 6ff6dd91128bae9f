/**
 * The arithmetic of the scoring kernel: dense loops over blocks of rows in double, as plain
 * loops ({@link io.tracer.kernel.ScalarDenseMath}) or with the JDK's Vector API
 * ({@code VectorDenseMath}), chosen at runtime by {@link io.tracer.kernel.DenseMaths}. It knows
 * nothing of models or policies; {@code io.tracer.serve} builds the models on it.
 */
package io.tracer.kernel;
