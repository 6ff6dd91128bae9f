package io.tracer.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The analyst queries of notebooks/*.sql and their placeholder convention: tables are named
 * {@code ${tables}.<table>}, where {@code ${tables}} is the table prefix (the catalog's, e.g.
 * {@code main.tracer}), and a query may take {@code ${target}}. The notebook and these tests fill
 * the placeholders by plain text replacement, or, over a lakehouse of paths, name each table
 * {@code delta.`<root>/<table>`} as the notebook's q() does; spark-sql and SQL editors fill the
 * same names from the session's settings ({@code SET tables=...}).
 */
final class NotebookSql {
    static final Path DIR = Path.of("notebooks");
    static final Path NOTEBOOK = DIR.resolve("tracer_analyst.ipynb");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private NotebookSql() {}

    /** Every query file, by file name, in name order; the text as written (trimmed). */
    static Map<String, String> files() {
        try (Stream<Path> s = Files.list(DIR)) {
            Map<String, String> out = new LinkedHashMap<>();
            s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted()
                    .forEach(p -> out.put(p.getFileName().toString(), read(p).strip()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The placeholder names a query uses. */
    static Set<String> placeholders(String sql) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code ${tables}.<table>}: a table reference. */
    private static final Pattern TABLE = Pattern.compile("\\$\\{tables}\\.([A-Za-z_][A-Za-z0-9_]*)");

    /** The tables a query names. */
    static Set<String> tables(String sql) {
        Set<String> names = new TreeSet<>();
        Matcher m = TABLE.matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The query as the notebook's q() runs it over paths only (TABLES = None): each
     * {@code ${tables}.<table>} becomes {@code delta.`<root>/<table>`}, then the other placeholders
     * are replaced.
     */
    static String fillPaths(String sql, String root, Map<String, String> values) {
        String paths = TABLE.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(
                "delta.`" + root + "/" + m.group(1) + "`"));
        return fill(paths, values);
    }

    /** The query with its placeholders replaced, as the notebook's q() does it with TABLES set. */
    static String fill(String sql, Map<String, String> values) {
        String out = sql;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
