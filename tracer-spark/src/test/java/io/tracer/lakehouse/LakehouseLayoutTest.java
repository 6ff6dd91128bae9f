package io.tracer.lakehouse;

import io.tracer.BadInputException;
import io.tracer.config.TracerConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LakehouseLayoutTest {
    private final Configuration conf = new Configuration();

    @Test
    void tablesAndPoliciesLiveUnderTheRoot(@TempDir Path dir) {
        String root = dir.toUri().toString(); // ends with '/'
        LakehouseLayout layout = LakehouseLayout.of(new TracerConfig.Lakehouse(root, ""), conf);
        String base = root.substring(0, root.length() - 1).replaceFirst("^file:///", "file:/");
        assertEquals(base, layout.root());
        assertEquals(base + "/runs", layout.runs());
        assertEquals(base + "/label_coverage", layout.labelCoverage());
        assertEquals(base + "/label_deltas", layout.uri(MetricTable.LABEL_DELTAS));
        assertEquals(base + "/policies", layout.policyRoot());
        assertTrue(layout.catalogPrefix().isEmpty());
        assertEquals("delta.`" + base + "/runs`", layout.sqlName(MetricTable.RUNS));
        assertTrue(layout.catalogTable(MetricTable.RUNS).isEmpty());
    }

    @Test
    void theShippedRelativeFileRootBecomesAbsolute() {
        LakehouseLayout layout = LakehouseLayout.of(new TracerConfig.Lakehouse("file:./tracer-lakehouse", ""), conf);
        String cwd = Path.of("").toAbsolutePath().toUri().toString().replaceFirst("^file:///", "file:/");
        assertEquals(cwd + "tracer-lakehouse", layout.root());
        assertEquals(cwd + "tracer-lakehouse/frontier", layout.frontier());
    }

    @Test
    void aRelativeLocalRootResolvesAgainstTheGivenWorkingDirectory(@TempDir Path dir) {
        String base = dir.toUri().toString().replaceFirst("^file:///", "file:/");
        base = base.endsWith("/") ? base : base + "/";
        for (String root : new String[] {"file:./tracer-lakehouse", "file:tracer-lakehouse", "./tracer-lakehouse",
                "tracer-lakehouse/"}) {
            LakehouseLayout layout = LakehouseLayout.of(new TracerConfig.Lakehouse(root, ""), conf, dir);
            assertEquals(base + "tracer-lakehouse", layout.root(), root);
        }
        // absolute and non-local roots are not touched by the working directory
        assertEquals("file:/lake", LakehouseLayout.of(new TracerConfig.Lakehouse("file:/lake/", ""), conf, dir).root());
        assertEquals("file:/lake", LakehouseLayout.of(new TracerConfig.Lakehouse("/lake", ""), conf, dir).root());
    }

    @Test
    void aCatalogPrefixNamesQuotedCatalogTablesWhosePathsStayUnderTheRoot() {
        LakehouseLayout layout = new LakehouseLayout("s3a://bucket/lake/", "main.tracer");
        assertEquals("s3a://bucket/lake/history", layout.history());
        assertEquals("`main`.`tracer`.`examples`", layout.catalogTable(MetricTable.EXAMPLES).orElseThrow());
        assertEquals("`main`.`tracer`.`examples`", layout.sqlName(MetricTable.EXAMPLES));
        assertEquals("`tracer`.`runs`", new LakehouseLayout("file:/x", "tracer").sqlName(MetricTable.RUNS));
    }

    @Test
    void badCatalogPrefixesAreRefused() {
        for (String bad : new String[] {"x; DROP", "a.b.c", "main.", "1db"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> new LakehouseLayout("file:/x", bad));
            assertTrue(e.getMessage().contains("tracer.lakehouse.catalog"), e.getMessage());
        }
    }
}
