package io.tracer.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps docs/reliability.md true to the tests: every scenario the doc lists has a test and every
 * tested scenario is in the doc, each catalogue row states the exit code its test asserts, and no
 * row admits a lost row. No Spark: it reads the doc and the tests' scenario lists.
 */
class ReliabilityDocTest {
    /** A table row whose first cell is a scenario id in backticks. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9._-]+)`\\s*\\|(.*)\\|\\s*$");

    static Path doc() {
        for (Path p : List.of(Path.of("docs/reliability.md"), Path.of("../docs/reliability.md"))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError("docs/reliability.md not found from " + Path.of("").toAbsolutePath());
    }

    /** Scenario id to the cells after it, for every scenario row of the doc. */
    static Map<String, List<String>> rows() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc())) {
            Matcher m = ROW.matcher(line.trim());
            if (m.matches()) {
                List<String> cells = new ArrayList<>();
                for (String c : m.group(2).split("\\|", -1)) {
                    cells.add(c.trim());
                }
                assertTrue(out.put(m.group(1), cells) == null, "scenario " + m.group(1) + " is listed twice");
            }
        }
        return out;
    }

    static Set<String> tested() {
        Set<String> ids = new TreeSet<>(BadInputCatalogueTest.ids());
        ids.add("report-hostile-content");
        ids.addAll(FaultInjectionTest.scenarios());
        ids.addAll(RealKillTest.scenarios());
        ids.addAll(ConcurrencyTest.scenarios());
        ids.add("soak-random-kills");
        return ids;
    }

    @Test
    void everyScenarioInTheDocHasATestAndEveryTestIsInTheDoc() throws IOException {
        assertEquals(tested(), new TreeSet<>(rows().keySet()));
    }

    @Test
    void catalogueRowsStateTheExitCodeTheirTestAsserts() throws IOException {
        Map<String, List<String>> rows = rows();
        BadInputCatalogueTest.exits().forEach((id, exit) -> {
            List<String> cells = rows.get(id);
            assertTrue(cells != null, id);
            // | case | command | fixture | exit | ... : the exit code is the third cell after the id
            assertEquals(String.valueOf(exit), cells.get(2), id + " expects exit " + exit + " but its row says " + cells);
        });
    }

    @Test
    void noScenarioLosesARow() throws IOException {
        rows().forEach((id, cells) -> assertEquals("0", cells.get(cells.size() - 1),
                id + ": the last column (rows lost) must be 0"));
    }
}
