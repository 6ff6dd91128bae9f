package io.tracer.lakehouse;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A metric table as this release writes it: name, schema (with column comments), table comment,
 * and the schema's history. The table's <em>schema version</em> is 1 for the columns of its first
 * release, plus one for each later release that added columns ({@code added.get(i)} lists the
 * columns version {@code i + 2} added). Every table carries its version in the
 * {@value #SCHEMA_VERSION} property, so a writer knows which columns a table lacks (it adds them)
 * and when a table was written by a newer release (it refuses to write).
 *
 * @param added columns added per version after the first, oldest first; each a column of {@code schema}
 */
public record TableDefinition(String name, StructType schema, String comment, List<List<String>> added) {
    /** Table property: the schema version of the table's columns. */
    public static final String SCHEMA_VERSION = "tracer.schema.version";
    /** Table property: the tracer release that last created, evolved or described the table. */
    public static final String WRITER_VERSION = "tracer.writer.version";

    public TableDefinition {
        added = added.stream().map(List::copyOf).toList();
        Set<String> columns = new HashSet<>(Arrays.asList(schema.fieldNames()));
        Set<String> seen = new HashSet<>();
        for (List<String> version : added) {
            for (String c : version) {
                if (!columns.contains(c) || !seen.add(c)) {
                    throw new IllegalArgumentException("table " + name + ": added column " + c
                            + " is not a column of the schema, or is added twice");
                }
            }
        }
    }

    /** 1 for the first release's columns, plus one per release that added columns. */
    public int schemaVersion() {
        return 1 + added.size();
    }

    /** Columns added after schema version {@code version} (all added columns when 0, that is unknown). */
    public List<String> addedAfter(int version) {
        List<String> out = new ArrayList<>();
        for (int v = Math.max(version, 1); v < schemaVersion(); v++) {
            out.addAll(added.get(v - 1));
        }
        return out;
    }

    /** This table as a release that appends {@code columns} would define it: one schema version more. */
    public TableDefinition withNewColumns(StructField... columns) {
        StructType next = schema;
        List<String> names = new ArrayList<>();
        for (StructField f : columns) {
            next = next.add(f);
            names.add(f.name());
        }
        List<List<String>> history = new ArrayList<>(added);
        history.add(names);
        return new TableDefinition(name, next, comment, history);
    }
}
