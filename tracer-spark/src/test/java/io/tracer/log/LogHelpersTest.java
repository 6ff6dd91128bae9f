package io.tracer.log;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogHelpersTest {
    private static final Logger LOG = LoggerFactory.getLogger(LogHelpersTest.class);

    @Test
    void warnOnceWarnsTheFirstTimePerCauseAndCountsTheRepeats() {
        WarnOnce.reset();
        assertTrue(WarnOnce.warn(LOG, "cause a", "first {}", 1));
        assertFalse(WarnOnce.warn(LOG, "cause a", "again {}", 2));
        assertFalse(WarnOnce.warn(LOG, "cause a", "again {}", 3));
        assertTrue(WarnOnce.warn(LOG, "cause b", "other"));
        assertEquals(3, WarnOnce.count("cause a"));
        assertEquals(Map.of("cause a", 2L), WarnOnce.drainRepeats());
        assertEquals(Map.of(), WarnOnce.drainRepeats(), "drained");
        assertFalse(WarnOnce.warn(LOG, "cause a", "still seen"), "a drain does not forget the cause");
        WarnOnce.reset();
        assertTrue(WarnOnce.warn(LOG, "cause a", "a new run warns again"));
        WarnOnce.reset();
    }

    @Test
    void progressLinesCarryRateAndEstimate() {
        long s = 1_000_000_000L;
        Progress p = new Progress(LOG, "zoo", 15, "fold fits", 10, 0);
        p.advance(6, 36_000, 24 * s);
        assertEquals("zoo: 6/15 fold fits (40%), 36,000 rows in 24 s (1,500 rows/s), about 36 s left", p.line(24 * s));
        Progress noRows = new Progress(LOG, "x", 4, "batches", 10, 0);
        noRows.advance(1, 0, 200 * s);
        assertEquals("x: 1/4 batches (25%) in 200 s, about 10 min 0 s left", noRows.line(200 * s));
        assertEquals("1 h 05 min", Progress.duration(3900));
        Progress parallel = new Progress(LOG, "zoo", 15, "fold fits", 10, 0).estimateAfter(2);
        parallel.advance(1, 4_000, 20 * s);
        assertEquals("zoo: 1/15 fold fits (7%), 4,000 rows in 20 s (200 rows/s)", parallel.line(20 * s),
                "with two running at once, one finished fit is no estimate");
    }

    @Test
    void pacingLogsAtMostEveryIntervalAndLessOftenAsTheLoopGrows() {
        long s = 1_000_000_000L;
        Pacing pacing = new Pacing(10, 0);
        assertFalse(pacing.due(5 * s));
        assertTrue(pacing.due(10 * s));
        assertFalse(pacing.due(15 * s));
        assertTrue(pacing.due(20 * s));
        // after 500 s the gap is a tenth of the elapsed time: 50 s
        assertTrue(pacing.due(500 * s));
        assertFalse(pacing.due(540 * s));
        assertTrue(pacing.due(560 * s));
    }

    @Test
    void sparkProgressLineScalesRowsByTheTaskShare() {
        assertEquals("route: about 450,000 of 1,000,000 rows (45% of 40 tasks), 450,000 rows in 45 s "
                        + "(10,000 rows/s), about 55 s left",
                SparkProgress.line("route", 1_000_000, new SparkProgress.Tasks(18, 40), 45));
        assertEquals("route: 1,000 rows, no task finished yet after 15 s",
                SparkProgress.line("route", 1_000, new SparkProgress.Tasks(0, 8), 15));
    }

    @Test
    void configLinesKeepEveryKeyOnOneLinePerSection() {
        String hocon = """
                zoo { folds = 3, skip = [], set = light }
                calibrate { targets = [0.9, 0.95], delta = 0.05 }
                lakehouse { root = "file:./x", database = "" }
                seed = 42
                """;
        assertEquals(String.join("\n",
                        "  calibrate: delta=0.05 targets=[0.9,0.95]",
                        "  lakehouse: database=\"\" root=file:./x",
                        "  seed=42",
                        "  zoo: folds=3 set=light skip=[]"),
                ConfigLines.of(hocon));
    }
}
