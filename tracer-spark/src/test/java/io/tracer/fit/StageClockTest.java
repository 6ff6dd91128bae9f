package io.tracer.fit;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StageClockTest {

    @Test
    void oneLinePerStageWithRowsSecondsAndRepeatedWarnings() {
        assertEquals("[zoo] 5,999 rows, 51.5 s: cross-validate the surrogate zoo",
                StageClock.line("zoo", "cross-validate the surrogate zoo", 5_999, 51.46, Map.of()));
        assertEquals("[certify] 0.0 s: certify", StageClock.line("certify", "certify", -1, 0.01, Map.of()));
        Map<String, Long> repeats = new LinkedHashMap<>();
        repeats.put("rows with a null or NaN 'pipeline_score'", 7L);
        assertEquals("[pipelines] 4,001 rows, 2.9 s: count; repeated warnings (at DEBUG): 7 x rows with a null "
                + "or NaN 'pipeline_score'", StageClock.line("pipelines", "count", 4_001, 2.9, repeats));
    }
}
