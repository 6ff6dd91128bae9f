/**
 * {@code tracer update}: continual retraining. New traces are validated, embedded when needed
 * and merged into a trace history Delta table ({@link io.tracer.update.HistoryTable}: one row per
 * trace id, each stamped with the run that added it); the whole history is refitted as a run
 * linked to its predecessor ({@link io.tracer.update.ParentRun}); per-label changes against that
 * predecessor go to the label_deltas table ({@link io.tracer.update.LabelDeltas}); and the new
 * policy replaces the current one only when it is certified. {@link io.tracer.update.UpdateJob}
 * strings these together.
 *
 * <p>The trace history here is the user's table of traces (the {@code --history} URI), not the
 * lakehouse's {@code history} metric table, which lists policy publications.
 */
package io.tracer.update;
