package io.tracer.lakehouse;

import io.tracer.BadInputException;
import io.tracer.TracerException;
import io.tracer.config.ConfigKeys;
import io.tracer.config.TracerConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where everything lives under the lakehouse root: {@code <root>/<table name>} for each
 * {@link MetricTable}, {@code <root>/policies} for the policy store and {@code <root>/reports}
 * for the HTML reports. With a catalog prefix every metric table is also the catalog table
 * {@code <catalog>.<table name>}, an external Delta table whose data is at the same path; tracer
 * then reads and writes it by that name ({@link DeltaWriter}, {@link LakehouseTables}).
 *
 * @param root    the qualified root URI, without a trailing slash
 * @param catalog the catalog prefix: a database ({@code tracer}) or {@code catalog.schema}
 *                ({@code main.tracer}), or "" for paths only
 */
public record LakehouseLayout(String root, String catalog) {
    public static final String POLICIES_DIR = "policies";
    public static final String REPORTS_DIR = "reports";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public LakehouseLayout {
        if (root == null || root.isBlank()) {
            throw new BadInputException("configuration " + ConfigKeys.LAKEHOUSE_ROOT + ": must not be blank");
        }
        root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        catalog = catalog == null ? "" : catalog.trim();
        if (!catalog.isEmpty() && !IDENTIFIER.matcher(catalog).matches()) {
            throw new BadInputException("configuration " + ConfigKeys.LAKEHOUSE_CATALOG + ": '" + catalog
                    + "' is not a table prefix (letters, digits, _: a database, or catalog.schema)");
        }
    }

    /**
     * The layout for the configured root, qualified against its file system so that relative
     * roots ({@code file:./tracer-lakehouse}, {@code ./lake}) become absolute URIs that Spark and
     * the policy store agree on. A relative local root is resolved against the process's working
     * directory.
     */
    public static LakehouseLayout of(TracerConfig.Lakehouse config, Configuration hadoopConf) {
        return of(config, hadoopConf, java.nio.file.Path.of("").toAbsolutePath());
    }

    /**
     * The same, resolving a relative local root ({@code file:./x}, or {@code ./x} when the default
     * file system is the local one) against {@code workingDir} instead of the process's working
     * directory. Roots on other file systems are qualified by their own file system as before.
     */
    public static LakehouseLayout of(TracerConfig.Lakehouse config, Configuration hadoopConf,
                                     java.nio.file.Path workingDir) {
        return new LakehouseLayout(qualify(config.root(), hadoopConf, workingDir.toAbsolutePath()),
                config.catalog());
    }

    /** The URI of a metric table. */
    public String uri(MetricTable table) {
        return uri(table.tableName());
    }

    String uri(String tableName) {
        return root + "/" + tableName;
    }

    public String runs() { return uri(MetricTable.RUNS); }
    public String frontier() { return uri(MetricTable.FRONTIER); }
    public String candidates() { return uri(MetricTable.CANDIDATES); }
    public String labelCoverage() { return uri(MetricTable.LABEL_COVERAGE); }
    public String examples() { return uri(MetricTable.EXAMPLES); }
    public String quarantine() { return uri(MetricTable.QUARANTINE); }
    public String audit() { return uri(MetricTable.AUDIT); }
    public String labelDeltas() { return uri(MetricTable.LABEL_DELTAS); }
    public String history() { return uri(MetricTable.HISTORY); }
    public String slices() { return uri(MetricTable.SLICES); }
    public String boundaryPairs() { return uri(MetricTable.BOUNDARY_PAIRS); }

    /** Where the HTML reports live: {@code <root>/reports}, one {@code <run id>.html} per run. */
    public String reportsDir() {
        return root + "/" + REPORTS_DIR;
    }

    /** The HTML report of a run. */
    public String report(String runId) {
        return reportsDir() + "/" + runId + ".html";
    }

    /** The embedding cache: vectors keyed by (text hash, encoder id), shared by every run. */
    public String embeddingCache() {
        return root + "/embedding_cache";
    }

    /** The root of the policy store ({@code io.tracer.policy.PolicyStore}). */
    public String policyRoot() {
        return root + "/" + POLICIES_DIR;
    }

    /** The catalog prefix, when the metric tables are catalog tables. */
    public Optional<String> catalogPrefix() {
        return catalog.isEmpty() ? Optional.empty() : Optional.of(catalog);
    }

    /** The table's quoted catalog name ({@code `main`.`tracer`.`runs`}), when a catalog prefix is set. */
    public Optional<String> catalogTable(MetricTable table) {
        return catalogTable(table.tableName());
    }

    Optional<String> catalogTable(String tableName) {
        return catalogPrefix().map(prefix -> quote(prefix) + "." + quote(tableName));
    }

    /**
     * How SQL names the table: its catalog name with a catalog prefix, else its path
     * ({@code delta.`<root>/<table>`}).
     */
    public String sqlName(MetricTable table) {
        return sqlName(table.tableName());
    }

    String sqlName(String tableName) {
        return catalogTable(tableName).orElseGet(() -> pathName(uri(tableName)));
    }

    /** {@code delta.`<uri>`}: a Delta table named by its path. */
    static String pathName(String uri) {
        return "delta.`" + uri.replace("`", "``") + "`";
    }

    private static Path local(String relative, Configuration hadoopConf, java.nio.file.Path workingDir)
            throws IOException {
        return FileSystem.getLocal(hadoopConf).makeQualified(new Path(new Path(workingDir.toUri()), relative));
    }

    /** Backtick-quotes each part of a (possibly two-part) identifier. */
    static String quote(String identifier) {
        StringBuilder out = new StringBuilder();
        for (String part : identifier.split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append('`').append(part.replace("`", "``")).append('`');
        }
        return out.toString();
    }

    /**
     * Qualifies a Hadoop URI. Hadoop's Path refuses {@code file:} with a relative path (the
     * shipped default), so that form is resolved against {@code workingDir} first; so is a
     * scheme-less relative path whose file system is the local one.
     */
    static String qualify(String uri, Configuration hadoopConf, java.nio.file.Path workingDir) {
        String u = uri.trim();
        try {
            Path path;
            if (u.startsWith("file:") && !u.startsWith("file:/")) {
                path = local(u.substring("file:".length()), hadoopConf, workingDir);
            } else {
                Path p = new Path(u);
                FileSystem fs = p.getFileSystem(hadoopConf);
                boolean relativeLocal = p.toUri().getScheme() == null && !p.isAbsolute()
                        && "file".equals(fs.getUri().getScheme());
                path = relativeLocal ? local(u, hadoopConf, workingDir) : fs.makeQualified(p);
            }
            String s = path.toString();
            return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("configuration " + ConfigKeys.LAKEHOUSE_ROOT + ": '" + uri
                    + "' is not a valid Hadoop URI: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TracerException("cannot open the file system of lakehouse root " + uri + ": " + e, e);
        }
    }
}
