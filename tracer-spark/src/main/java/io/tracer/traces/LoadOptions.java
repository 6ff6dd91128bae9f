package io.tracer.traces;

/**
 * How strictly {@link TraceLoader} judges a table. Fitting needs every row to carry a teacher
 * label, one embedding width and one row per trace id; routing inputs have no teacher yet, must
 * come out once per input row, and leave vectors of an unexpected width to the router, which
 * defers them with a reason instead of refusing the table.
 *
 * @param requireTeacher    a teacher column must resolve and every row needs a label
 *                          ({@link QuarantineReason#MISSING_TEACHER}); when false the teacher is
 *                          optional and null where absent
 * @param judgeWidth        quarantine embeddings whose width differs from the encoder's
 * @param dedupe            resolve repeated trace ids ({@code tracer.traces.duplicates})
 * @param persist           cache the validated rows (worth it when they are read many times, as
 *                          a fit does; a single routing pass is cheaper reading the source again)
 */
public record LoadOptions(boolean requireTeacher, boolean judgeWidth, boolean dedupe, boolean persist) {
    /** What a fit needs: the loader's behaviour before options existed. */
    public static final LoadOptions TRAINING = new LoadOptions(true, true, true, true);
    /** Routing and audit inputs: teacher optional, widths and repeats left to the router. */
    public static final LoadOptions ROUTING = new LoadOptions(false, false, false, false);
}
