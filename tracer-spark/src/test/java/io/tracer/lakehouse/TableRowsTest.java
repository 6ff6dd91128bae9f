package io.tracer.lakehouse;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each typed row record names its table's columns in order, and converts to a Row in that order. */
class TableRowsTest {
    @Test
    void everyRowRecordMatchesItsTable() {
        TableRows.check(MetricTable.RUNS, MetricRows.RunRow.class);
        TableRows.check(MetricTable.FRONTIER, MetricRows.FrontierRow.class);
        TableRows.check(MetricTable.CANDIDATES, MetricRows.CandidateRow.class);
        TableRows.check(MetricTable.LABEL_COVERAGE, MetricRows.LabelCoverageRow.class);
        TableRows.check(MetricTable.HISTORY, MetricRows.HistoryRow.class);
    }

    @Test
    void aRecordThatDoesNotMatchIsRefusedByName() {
        record Wrong(String runId, String versionId) {}
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TableRows.check(MetricTable.HISTORY, Wrong.class));
        assertEquals("Wrong has 2 components but table history has 10 columns", e.getMessage());
        record Swapped(String runId, String previousVersionId, String versionId, Timestamp publishedAt,
                       String policyUri, boolean madeCurrent, String method, double target, boolean certified,
                       String reason) {}
        e = assertThrows(IllegalStateException.class, () -> TableRows.check(MetricTable.HISTORY, Swapped.class));
        assertEquals("Swapped component 1 (previousVersionId) is column previous_version_id, but table history has "
                + "version_id there", e.getMessage());
    }

    @Test
    void valuesKeepTheirOrderAndListsBecomeArrays() {
        MetricRows.CandidateRow c = new MetricRows.CandidateRow("r1", "surrogate", "lr-1e-3", 1, "cross-fit", null,
                800L, 1200L, "macro-f1", List.of(0.5, 0.7), 0.6, 0.1, 0.9, 0.6, null, 3.5, 42, true, true);
        Row row = TableRows.toRow(MetricTable.CANDIDATES, c);
        assertEquals(19, row.size());
        assertEquals("r1", row.get(0));
        assertEquals(null, row.get(5));
        assertEquals(800L, row.get(6));
        assertArrayEquals(new Object[] {0.5, 0.7}, (Object[]) row.get(9));
        assertEquals(null, row.get(14));
        assertEquals(42, row.get(16));
        assertEquals(true, row.get(18));
    }

    @Test
    void camelCaseBecomesSnakeCase() {
        assertEquals("run_id", TableRows.snake("runId"));
        assertEquals("macro_f1", TableRows.snake("macroF1"));
        assertEquals("handled_stage1", TableRows.snake("handledStage1"));
        assertEquals("p_value", TableRows.snake("pValue"));
    }
}
