package io.tracer.lakehouse;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write that lost Delta's commit race runs again; any other failure passes through at once. */
class DeltaRetryTest {
    @Test
    void aLostCommitRaceIsRetriedUntilTheWriteCommits() {
        AtomicInteger calls = new AtomicInteger();
        String out = DeltaRetry.run("rows", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new RuntimeException("wrapped", new io.delta.exceptions.ConcurrentAppendException("lost"));
            }
            return "committed";
        });
        assertEquals("committed", out);
        assertEquals(3, calls.get());
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("schema mismatch");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> DeltaRetry.run("rows", () -> {
            calls.incrementAndGet();
            throw boom;
        })));
        assertEquals(1, calls.get());
        assertFalse(DeltaRetry.isConcurrentModification(boom));
        assertTrue(DeltaRetry.isConcurrentModification(new RuntimeException(
                "[DELTA_CONCURRENT_APPEND] ConcurrentAppendException: Files were added")));
    }

    @Test
    void aTableAnotherRunIsCreatingIsRetried() {
        // Seen when two fits create one metric table at once: the loser's DESCRIBE finds a log
        // directory without its first commit.
        RuntimeException missing = new RuntimeException("[DELTA_MISSING_DELTA_TABLE] `file:/x/history` is not a Delta table.");
        assertTrue(DeltaRetry.isConcurrentModification(new DeltaRetry.RaceLost("history is being created", missing)));
        assertFalse(DeltaRetry.isConcurrentModification(missing), "a table that is simply missing is not retried");
    }
}
