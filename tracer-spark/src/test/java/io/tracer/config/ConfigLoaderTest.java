package io.tracer.config;

import io.tracer.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {
    @Test
    void bundledDefaultsLoadAndValidate() {
        TracerConfig c = ConfigLoader.load(null, Map.of());
        assertEquals(0.6, c.split().train(), 1e-12);
        assertEquals(0.05, c.calibrate().delta(), 1e-12);
        assertEquals(5, c.calibrate().targets().size());
    }

    @Test
    void overridesWinOverDefaultsAndAcceptListsAndBarePrefix() {
        TracerConfig c = ConfigLoader.load(null, Map.of(
                "tracer.split.train", "0.5", "split.selection", "0.25", "split.calibration", "0.25",
                "calibrate.targets", "[0.9, 0.95]", "zoo.set", "full"));
        assertEquals(0.5, c.split().train(), 1e-12);
        assertEquals(2, c.calibrate().targets().size());
        assertEquals("full", c.zoo().set());
    }

    @Test
    void invalidValuesNameTheKey() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(null, Map.of("split.train", "0.9")));
        assertTrue(e.getMessage().contains("tracer.split"), e.getMessage());
        BadInputException e2 = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(null, Map.of("calibrate.delta", "1.5")));
        assertTrue(e2.getMessage().contains("tracer.calibrate.delta"), e2.getMessage());
        BadInputException e3 = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(null, Map.of("zoo.refit-rows", "-1")));
        assertTrue(e3.getMessage().contains("tracer.zoo.refit-rows"), e3.getMessage());
        assertEquals(50_000, ConfigLoader.load(null, Map.of()).zoo().refitRows());
        assertEquals(0, ConfigLoader.load(null, Map.of("zoo.refit-rows", "0")).zoo().refitRows());
    }

    @Test
    void missingConfFileIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigLoader.load("file:/nonexistent/tracer.conf", Map.of()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    /** One home for the tables: catalog is the key; database, its older name, is read as it. */
    @Test
    void theDeprecatedDatabaseKeyIsReadAsTheCatalogPrefix() {
        assertEquals("", ConfigLoader.load(null, Map.of()).lakehouse().catalog());
        assertFalse(ConfigLoader.load(null, Map.of()).lakehouse().inCatalog());
        assertEquals("main.tracer", ConfigLoader.load(null, Map.of("lakehouse.catalog", "main.tracer")).lakehouse().catalog());
        assertEquals("tracer", ConfigLoader.load(null, Map.of("lakehouse.database", "tracer")).lakehouse().catalog());
        assertEquals("tracer", ConfigLoader.load(null, Map.of("lakehouse.database", "tracer",
                "lakehouse.catalog", "tracer")).lakehouse().catalog());
        BadInputException both = assertThrows(BadInputException.class, () -> ConfigLoader.load(null,
                Map.of("lakehouse.database", "old", "lakehouse.catalog", "main.tracer")));
        assertTrue(both.getMessage().contains("tracer.lakehouse.database")
                && both.getMessage().contains("tracer.lakehouse.catalog"), both.getMessage());
        BadInputException bad = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(null, Map.of("lakehouse.catalog", "a.b.c")));
        assertTrue(bad.getMessage().contains("tracer.lakehouse.catalog"), bad.getMessage());
    }
}
