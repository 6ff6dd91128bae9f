package io.tracer.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analyst notebook is a valid nbformat 4 document whose queries are exactly the .sql files
 * (which {@link NotebookQueriesTest} runs against real tables), so the two cannot drift.
 */
class NotebookConsistencyTest {
    /** A query cell: show(q("""<sql>""")). */
    private static final Pattern QUERY = Pattern.compile("q\\(\"\"\"\\n(.*?)\\n\"\"\"\\)", Pattern.DOTALL);

    static JsonNode notebook;
    static String code;

    @BeforeAll
    static void read() throws IOException {
        notebook = new ObjectMapper().readTree(NotebookSql.NOTEBOOK.toFile());
        StringBuilder all = new StringBuilder();
        for (JsonNode cell : notebook.get("cells")) {
            if (cell.get("cell_type").asText().equals("code")) {
                all.append(source(cell)).append('\n');
            }
        }
        code = all.toString();
    }

    @Test
    void notebookIsNbformat4WithMarkdownAndCodeCells() {
        assertEquals(4, notebook.get("nbformat").asInt());
        assertTrue(notebook.get("nbformat_minor").asInt() >= 0);
        assertEquals("python", notebook.at("/metadata/kernelspec/language").asText());
        Set<String> ids = new TreeSet<>();
        int markdown = 0;
        int codeCells = 0;
        for (JsonNode cell : notebook.get("cells")) {
            String type = cell.get("cell_type").asText();
            assertTrue(cell.has("source") && cell.has("metadata"), "cell without source/metadata: " + cell);
            if (notebook.get("nbformat_minor").asInt() >= 5) {
                assertTrue(ids.add(cell.get("id").asText()), "cell ids must be unique: " + cell.get("id"));
            }
            switch (type) {
                case "markdown" -> markdown++;
                case "code" -> {
                    codeCells++;
                    // nbformat requires both on code cells; a committed notebook carries no output
                    assertTrue(cell.has("execution_count") && cell.get("outputs").isArray(), "code cell " + cell);
                    assertEquals(0, cell.get("outputs").size(), "commit the notebook without outputs");
                }
                default -> fail("unexpected cell type " + type);
            }
        }
        assertTrue(markdown >= NotebookSql.files().size(), "each query deserves a markdown cell saying what it shows");
        assertTrue(codeCells > NotebookSql.files().size());
    }

    @Test
    void everyQueryInTheNotebookIsOneOfTheSqlFilesAndEveryFileIsInIt() {
        Map<String, String> files = NotebookSql.files();
        List<String> inNotebook = new ArrayList<>();
        Matcher m = QUERY.matcher(code);
        while (m.find()) {
            inNotebook.add(m.group(1).strip());
        }
        assertFalse(inNotebook.isEmpty(), "no q(\"\"\"...\"\"\") cells found");
        for (String sql : inNotebook) {
            assertTrue(files.containsValue(sql), "this notebook query matches no notebooks/*.sql file "
                    + "(copy the file's text verbatim):\n" + sql);
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertTrue(inNotebook.contains(f.getValue()), f.getKey() + " is not in the notebook");
        }
        // spark.sql is only called through q(), which fills the placeholders
        assertEquals(1, code.split("spark\\.sql\\(", -1).length - 1, "run queries through q(), not spark.sql");
    }

    @Test
    void theNotebookFillsEveryPlaceholderTheQueriesUse() {
        Set<String> used = new TreeSet<>();
        NotebookSql.files().values().forEach(sql -> used.addAll(NotebookSql.placeholders(sql)));
        assertTrue(used.contains("tables"), "queries name tables as ${tables}.<table>: " + used);
        assertFalse(used.contains("lakehouse"), "one placeholder for the table prefix: ${tables}, not ${lakehouse}");
        // over paths only, q() names each ${tables}.<table> by path
        assertTrue(code.contains("delta.`%s/%s`"), "q() does not name tables by path when TABLES is None");
        for (String name : used) {
            assertTrue(code.contains(".replace(\"${" + name + "}\""), "q() does not fill ${" + name + "}");
        }
    }

    private static String source(JsonNode cell) {
        JsonNode s = cell.get("source");
        if (s.isTextual()) {
            return s.asText();
        }
        StringBuilder out = new StringBuilder();
        s.forEach(line -> out.append(line.asText()));
        return out.toString();
    }
}
