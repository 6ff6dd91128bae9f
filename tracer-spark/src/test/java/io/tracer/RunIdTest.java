package io.tracer;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RunIdTest {
    @Test
    void newIdsAreUtcTimePlusARandomSuffix() {
        Clock clock = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneId.of("Asia/Tokyo"));
        RunId id = RunId.newId(clock);
        assertTrue(id.value().matches("20250304-050607-[0-9a-f]{4}"), id.value());
        assertTrue(RunId.newId().value().matches("\\d{8}-\\d{6}-[0-9a-f]{4}"));
        assertEquals(id.value(), id.toString());
    }

    @Test
    void idsTheJobsUseAreAccepted() {
        for (String ok : List.of("run-a", "nightly-20250101", "audit-{{job.start_time.iso_date}}", "audit-@RUN_DATE@",
                "validity-3", "b4.route_17", "x".repeat(RunId.MAX_LENGTH))) {
            assertEquals(ok, RunId.of(ok).value());
        }
    }

    @Test
    void idsThatCannotNameAFileAreBadInput() {
        for (String bad : List.of("", " ", "a b", "a/b", "..", ".", "a\\b", "a:b", "tab\there", "x".repeat(RunId.MAX_LENGTH + 1))) {
            BadInputException e = assertThrows(BadInputException.class, () -> RunId.of(bad), bad);
            assertTrue(e.getMessage().startsWith("run id"), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> new RunId(null));
    }
}
