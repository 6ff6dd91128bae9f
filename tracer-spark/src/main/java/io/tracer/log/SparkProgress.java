package io.tracer.log;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.slf4j.Logger;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Progress of the Spark jobs of one job group while the driver waits on them (a write, say),
 * from Spark's status tracker: a daemon thread logs the share of finished tasks of the group's
 * submitted stages, the rows that share stands for, rows/s and an estimate of the time left,
 * through {@link Progress}'s pacing (nothing for a job that ends within the first interval).
 * Close it when the action returns.
 */
public final class SparkProgress implements AutoCloseable {
    /** Tasks of a job group: finished and submitted. */
    record Tasks(long completed, long total) {
        double share() {
            return total == 0 ? 0 : (double) completed / total;
        }
    }

    private final Thread thread;

    private SparkProgress(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts watching {@code jobGroup}.
     *
     * @param rows         the rows the group processes in all (the estimate scales them by the task share)
     * @param everySeconds at most one line per this many seconds (see {@link Progress})
     */
    public static SparkProgress watch(SparkContext sc, String jobGroup, Logger log, String what, long rows,
                                      double everySeconds) {
        SparkStatusTracker tracker = sc.statusTracker();
        Pacing pacing = new Pacing(everySeconds, System.nanoTime());
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    long now = System.nanoTime();
                    if (pacing.due(now)) {
                        log.info("{}", line(what, rows, tasks(tracker, jobGroup), pacing.seconds(now)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("progress of {} stopped: {}", what, e.toString());
            }
        }, "tracer-progress-" + what);
        t.setDaemon(true);
        t.start();
        return new SparkProgress(t);
    }

    /** "route: about 450,000 of 1,000,000 rows (45% of tasks), ... rows/s, about 57 s left". */
    static String line(String what, long rows, Tasks tasks, double seconds) {
        double share = tasks.share();
        if (tasks.completed() == 0) {
            return String.format(Locale.ROOT, "%s: %,d rows, no task finished yet after %.0f s", what, rows, seconds);
        }
        long done = Math.round(rows * share);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: about %,d of %,d rows (%d%% of %d tasks)",
                what, done, rows, Math.round(100 * share), tasks.total()));
        b.append(Progress.rate(done, seconds));
        if (share < 1) {
            b.append(", about ").append(Progress.duration(seconds / share * (1 - share))).append(" left");
        }
        return b.toString();
    }

    /** Finished and total tasks over the submitted stages of the group's jobs. */
    static Tasks tasks(SparkStatusTracker tracker, String jobGroup) {
        long completed = 0;
        long total = 0;
        Set<Integer> stages = new HashSet<>();
        for (int jobId : tracker.getJobIdsForGroup(jobGroup)) {
            SparkJobInfo job = tracker.getJobInfo(jobId).getOrElse(() -> null);
            if (job == null) {
                continue;
            }
            for (int stageId : job.stageIds()) {
                if (!stages.add(stageId)) {
                    continue;
                }
                SparkStageInfo stage = tracker.getStageInfo(stageId).getOrElse(() -> null);
                // Stages never submitted (skipped: their output was reused) would never finish.
                if (stage != null && stage.submissionTime() > 0) {
                    completed += stage.numCompletedTasks();
                    total += stage.numTasks();
                }
            }
        }
        return new Tasks(completed, total);
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
