/**
 * Split-aggregate counting for certification: each partition reduces its rows to (rows,
 * agreeing) per threshold bin and only those small exact integer aggregates reach the driver,
 * which makes them cumulative ({@link io.tracer.calibrate.spark.ThresholdCounter}); and the
 * candidate thresholds as exact quantiles of the selection split's scores
 * ({@link io.tracer.calibrate.spark.ThresholdGrid}). Both give the same answer whatever the
 * partitioning, so a certificate does not depend on the cluster layout. The math that consumes
 * the counts lives in {@code io.tracer.calibrate} and has no Spark import.
 */
package io.tracer.calibrate.spark;
