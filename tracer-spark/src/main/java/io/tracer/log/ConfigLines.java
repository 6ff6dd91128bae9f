package io.tracer.log;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The effective configuration for a log: one line per top-level section, its keys as
 * {@code key=value} in key order ({@code "  calibrate: delta=0.05 deploy-target=0.95 ..."}), instead of
 * HOCON's one line per key and bracket. Every key and value of the input is kept.
 */
public final class ConfigLines {
    private ConfigLines() {}

    /** @param hocon a rendered configuration, e.g. {@code TracerConfig.render()} */
    public static String of(String hocon) {
        Config config = ConfigFactory.parseString(hocon);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, ConfigValue> section : new TreeMap<>(config.root()).entrySet()) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append("  ").append(section.getKey());
            if (section.getValue() instanceof ConfigObject o) {
                Map<String, ConfigValue> leaves = new TreeMap<>();
                o.toConfig().entrySet().forEach(e -> leaves.put(e.getKey(), e.getValue()));
                b.append(':');
                leaves.forEach((k, v) -> b.append(' ').append(k).append('=').append(value(v.unwrapped())));
            } else {
                b.append('=').append(value(section.getValue().unwrapped()));
            }
        }
        return b.toString();
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return s.isEmpty() || s.contains(" ") ? '"' + s + '"' : s;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ConfigLines::value).collect(Collectors.joining(",", "[", "]"));
        }
        if (v instanceof Map<?, ?> m) {
            return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        return String.valueOf(v);
    }
}
