/**
 * Deterministic assignment of traces to the train / selection / calibration splits and of
 * train rows to cross-validation folds.
 *
 * <p>Every assignment is a pure function of (trace id, derived seed) and the table's contents:
 * a 64-bit hash of the seed and the trace id orders the rows of each teacher label, and a
 * row's rank in that order decides its split or fold. It is computed with Spark built-ins
 * (xxhash64 and window functions), so it does not depend on how the input is partitioned and
 * no row leaves the executors. {@link io.tracer.split.SplitSummary} records what a split was.
 */
package io.tracer.split;
