package io.tracer.lakehouse;

import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/tables.md documents every column of every metric table, in its table's section. */
class TablesDocTest {
    @Test
    void everyColumnIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("docs/tables.md"));
        for (MetricTable table : MetricTable.values()) {
            String header = "## " + table.tableName() + "\n";
            int start = doc.indexOf(header);
            assertTrue(start >= 0, "no section " + header.trim());
            int end = doc.indexOf("\n## ", start + header.length());
            String section = doc.substring(start, end < 0 ? doc.length() : end);
            for (StructField f : table.schema().fields()) {
                assertTrue(section.contains("| `" + f.name() + "` |"), table.tableName() + "." + f.name() + " undocumented");
                assertTrue(f.getComment().isDefined(), table.tableName() + "." + f.name() + " has no comment");
            }
        }
    }
}
