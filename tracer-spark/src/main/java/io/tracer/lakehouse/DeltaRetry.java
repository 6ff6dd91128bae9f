package io.tracer.lakehouse;

import io.tracer.Messages;
import io.tracer.TracerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries a Delta write that lost an optimistic-concurrency race. Every write tracer makes is
 * idempotent per run id (a replaceWhere on the run's rows, a MERGE that inserts only missing ids,
 * an append keyed by a transaction id), so running it again after another writer committed first
 * gives the same end state as if the two had run one after the other. After the last attempt the
 * failure is reported in one line naming the table and the other writer's conflict.
 */
public final class DeltaRetry {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaRetry.class);
    /** Attempts in all; enough for a handful of writers committing to one table at once. */
    static final int ATTEMPTS = 8;
    private static final long BASE_MILLIS = 200;

    private DeltaRetry() {}

    /** A race tracer sees itself (not through Delta's exceptions): another writer's change is in flight. */
    public static final class RaceLost extends RuntimeException {
        public RaceLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs {@code write}; when Delta refuses its commit because another writer committed a
     * conflicting change, waits a little (randomised, growing) and runs it again.
     *
     * @param what names the write in logs and in the final error ("run r's rows in frontier")
     */
    public static <T> T run(String what, Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!isConcurrentModification(e)) {
                    throw e;
                }
                if (attempt >= ATTEMPTS) {
                    throw new TracerException("gave up writing " + what + " after " + attempt
                            + " attempts: other writers kept committing conflicting changes (" + Messages.firstLine(e)
                            + "); nothing of this write was committed, run it again", e);
                }
                long wait = BASE_MILLIS * attempt + ThreadLocalRandom.current().nextLong(BASE_MILLIS * attempt);
                LOG.warn("writing {}: another writer committed first ({}); attempt {} of {} in {} ms",
                        what, Messages.firstLine(e), attempt + 1, ATTEMPTS, wait);
                sleep(wait);
            }
        }
    }

    /** Runs {@code write} as {@link #run(String, Supplier)} does. */
    public static void run(String what, Runnable write) {
        run(what, () -> {
            write.run();
            return null;
        });
    }

    /**
     * True for Delta's concurrent-modification family (ConcurrentAppend, ConcurrentDeleteRead,
     * MetadataChanged, ProtocolChanged, ConcurrentWrite, ConcurrentTransaction...), anywhere in the
     * cause chain, and for two writers racing to create the same table (its first commit).
     */
    public static boolean isConcurrentModification(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RaceLost
                    || t instanceof io.delta.exceptions.DeltaConcurrentModificationException
                    || t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException
                    // two writers putting the same commit file: the loser sees it already there
                    || t instanceof java.nio.file.FileAlreadyExistsException
                    || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("DELTA_CONCURRENT_") || m.contains("DELTA_METADATA_CHANGED")
                    || m.contains("DELTA_PROTOCOL_CHANGED") || m.contains("DELTA_CONCURRENT_WRITE"))) {
                return true;
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TracerException("interrupted while waiting to retry a Delta write", e);
        }
    }
}
