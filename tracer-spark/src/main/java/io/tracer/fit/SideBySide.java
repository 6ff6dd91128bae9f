package io.tracer.fit;

import io.tracer.TracerException;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a stage's independent pieces of work on a few driver threads, so Spark runs their jobs
 * at once: a piece whose small jobs leave cores idle (per-job overhead) then shares the machine
 * with the next instead of holding it alone. Results come
 * back in submission order, so nothing downstream depends on which finishes first. Each thread
 * runs in the caller's Spark job group, so cancelling the run cancels them too.
 */
final class SideBySide {
    private SideBySide() {}

    /**
     * @param threads at most this many at once ({@code tracer.zoo.parallelism})
     * @param what    names the stage in the threads' names and in errors
     */
    static <T> List<T> run(SparkSession spark, int threads, String what, List<Callable<T>> work) {
        if (work.size() <= 1 || threads <= 1) {
            List<T> out = new ArrayList<>();
            for (Callable<T> w : work) {
                out.add(call(w, what));
            }
            return out;
        }
        String group = spark.sparkContext().getLocalProperty("spark.jobGroup.id");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, work.size()), r -> {
            Thread t = new Thread(r, what);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> w : work) {
                futures.add(pool.submit(() -> {
                    if (group != null) {
                        spark.sparkContext().setJobGroup(group, what, false);
                    }
                    return w.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new TracerException(what + ": " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TracerException(what + ": interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> w, String what) {
        try {
            return w.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new TracerException(what + ": " + e, e);
        }
    }
}
