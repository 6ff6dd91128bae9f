package io.tracer.fit;

/**
 * Told when each fit stage ends, after the stage's time is taken, so what an observer does there
 * (a benchmark collecting garbage to measure the live heap) does not count as the stage's time.
 */
@FunctionalInterface
public interface StageObserver {
    StageObserver NONE = stage -> { };

    void stageEnded(String stage);
}
