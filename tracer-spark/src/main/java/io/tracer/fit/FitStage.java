package io.tracer.fit;

/**
 * One stage of the fit: takes the previous stage's record and returns its own. {@link FitJob}
 * strings the stages together in data-flow order and times each with a {@link StageClock}, which
 * also labels the stage's Spark jobs so the Spark UI reads like the chain.
 *
 * @param <I> the record the stage reads
 * @param <O> the record it returns
 */
public interface FitStage<I, O> {

    /** Short name, as in the logs, the job groups and the stage timings: load, zoo, certify... */
    String name();

    /** What the stage is about to do with {@code input}, for the log line that opens it. */
    String describe(I input);

    O run(I input);

    /** The rows the stage worked on, for its log line; -1 when it does not say. */
    default long rows(I input, O output) {
        return -1;
    }
}
