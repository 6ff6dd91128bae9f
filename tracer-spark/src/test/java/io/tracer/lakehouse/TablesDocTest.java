package io.tracer.lakehouse;

import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/tables.md and the tables describe each other: each metric table's section opens with the
 * table comment, and its column list is the schema, in order, with the same types and the same
 * comments (what DESCRIBE TABLE shows). Backticks and bold markers in the docs are markdown only.
 */
class TablesDocTest {
    /** {@code | `column` | type | meaning |} */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.+?) \\| (.*) \\|$");

    @Test
    void theCommentsTypesAndColumnsAreTheDocs() throws IOException {
        String doc = Files.readString(Path.of("docs/tables.md"));
        for (MetricTable table : MetricTable.values()) {
            String header = "## " + table.tableName() + "\n";
            int start = doc.indexOf(header);
            assertTrue(start >= 0, "no section " + header.trim());
            int end = doc.indexOf("\n## ", start + header.length());
            String section = doc.substring(start + header.length(), end < 0 ? doc.length() : end).strip();
            String firstParagraph = section.split("\n\n", 2)[0];
            assertEquals(plain(firstParagraph), table.comment(), table.tableName()
                    + ": the table comment (MetricTable) and the section's first paragraph differ");

            List<String> documented = new ArrayList<>();
            for (String line : section.split("\n")) {
                Matcher m = ROW.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String column = m.group(1);
                documented.add(column);
                StructField f = table.schema().apply(column);
                String type = f.dataType().simpleString() + (f.nullable() ? "" : " not null");
                assertEquals(type, m.group(2), table.tableName() + "." + column + ": type");
                assertTrue(f.getComment().isDefined(), table.tableName() + "." + column + " has no comment");
                assertEquals(plain(m.group(3)), f.getComment().get(), table.tableName() + "." + column
                        + ": the column comment (MetricTables) and docs/tables.md differ");
            }
            assertEquals(List.of(table.schema().fieldNames()), documented, table.tableName()
                    + ": documented columns, in order");
        }
    }

    /** Markdown to the plain text of a comment: lines joined, backticks and bold markers dropped. */
    static String plain(String markdown) {
        return markdown.replace("\n", " ").replace("`", "").replace("**", "").strip();
    }
}
