package io.tracer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.tracer.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One configuration: conf/default.conf and {@link ConfigKeys} list the same keys, {@link
 * TracerConfig#from} reads every one of them (none has a default in Java), and no code outside
 * the config package spells a key.
 */
class ConfigKeysTest {
    static final Config DEFAULTS = ConfigLoader.defaults();

    private static Set<String> constants() throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field f : ConfigKeys.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                values.add((String) f.get(null));
            }
        }
        return values;
    }

    private static Set<String> defaultKeys() {
        return DEFAULTS.entrySet().stream().map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyDefaultKeyHasAConstantAndEveryConstantNamesAKeyOrABlock() throws IllegalAccessException {
        Set<String> constants = constants();
        Set<String> leaves = new TreeSet<>();
        for (String c : constants) {
            assertTrue(DEFAULTS.hasPath(c), "ConfigKeys names " + c + ", which conf/default.conf does not define");
            if (DEFAULTS.getValue(c).valueType() != ConfigValueType.OBJECT) {
                leaves.add(c);
            }
        }
        assertEquals(defaultKeys(), leaves);
    }

    @Test
    void everyKeyIsReadAndHasNoDefaultOutsideDefaultConf() {
        for (String key : defaultKeys()) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> TracerConfig.from(DEFAULTS.withoutPath(key).resolve()), key + " is not read");
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void withDerivesAValidatedConfigurationAndLeavesTheOriginal() {
        TracerConfig base = ConfigLoader.load(null, Map.of());
        TracerConfig derived = base.with(Map.of(ConfigKeys.SEED, "7", "zoo.folds", "4"));
        assertEquals(7, derived.seed());
        assertEquals(4, derived.zoo().folds());
        assertEquals(base.split(), derived.split());
        assertEquals(base.calibrate(), derived.calibrate());
        assertEquals(42, base.seed());
        assertTrue(derived.render().contains("seed=7"), derived.render());
        assertEquals(base, derived.with(Map.of(ConfigKeys.SEED, "42", ConfigKeys.ZOO_FOLDS, "3")));

        BadInputException e = assertThrows(BadInputException.class,
                () -> base.with(Map.of(ConfigKeys.OOD_QUANTILE, "1.5")));
        assertTrue(e.getMessage().contains(ConfigKeys.OOD_QUANTILE), e.getMessage());
    }

    @Test
    void reportAndOodValuesAreValidatedNamingTheKey() {
        for (Map.Entry<String, String> bad : Map.of(ConfigKeys.REPORT_BOUNDARY_SAMPLE, "5000",
                ConfigKeys.REPORT_EXAMPLES_PER_LABEL, "0", ConfigKeys.REPORT_BOUNDARY_PAIRS, "-1",
                ConfigKeys.OOD_MIN_LABEL_ROWS, "0", ConfigKeys.OOD_QUANTILE, "0").entrySet()) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> ConfigLoader.load(null, Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
        TracerConfig.Report report = ConfigLoader.load(null, Map.of("report.enabled", "false")).report();
        assertFalse(report.enabled());
        assertEquals(3, report.examplesPerLabel());
        assertEquals(50, report.boundarySample());
        assertEquals(3, report.boundaryPairs());
    }

    /** A string literal holding {@code tracer.<block>}, e.g. "tracer.zoo.set" (not io.tracer.zoo...). */
    static final Pattern KEY_IN_LITERAL = Pattern.compile("(?<![\\w.])tracer\\.(seed|traces|embed|split|zoo|gate|ood"
            + "|calibrate|pipeline|lakehouse|report|scan|spark)\\b");
    static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void noCodeOutsideTheConfigPackageSpellsAKey() throws IOException {
        Path main = Path.of("tracer-spark/src/main/java");
        Path config = main.resolve("io/tracer/config");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(config)).toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).trim();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    Matcher literal = STRING_LITERAL.matcher(code);
                    while (literal.find()) {
                        if (KEY_IN_LITERAL.matcher(literal.group()).find()) {
                            found.add(main.relativize(f) + ":" + (i + 1) + ": " + literal.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "use io.tracer.config.ConfigKeys");
    }
}
