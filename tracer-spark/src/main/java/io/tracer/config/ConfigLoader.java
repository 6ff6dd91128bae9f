package io.tracer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigException;
import io.tracer.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the effective configuration with one documented precedence, highest first:
 * command-line flags (applied by each command as overrides), {@code -Dkey=value}
 * overrides, the {@code --conf} file (any Hadoop URI), then the bundled defaults
 * (conf/default.conf, on the classpath as tracer/default.conf).
 */
public final class ConfigLoader {
    public static final String DEFAULTS_RESOURCE = "tracer/default.conf";

    private ConfigLoader() {}

    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * @param confUri   optional --conf file (Hadoop URI or local path); null for none
     * @param overrides -D style overrides, already as dotted keys (e.g. tracer.split.train)
     */
    public static TracerConfig load(String confUri, Map<String, String> overrides) {
        Config config = defaults();
        if (confUri != null && !confUri.isBlank()) {
            config = readFile(confUri).withFallback(config);
        }
        return resolve(config, overrides);
    }

    /** {@code base} with the -D style {@code overrides} on top, resolved and read (also {@link TracerConfig#with}). */
    static TracerConfig resolve(Config base, Map<String, String> overrides) {
        Config config = base;
        if (overrides != null && !overrides.isEmpty()) {
            config = parseOverrides(overrides).withFallback(config);
        }
        try {
            return TracerConfig.from(config.resolve());
        } catch (ConfigException e) {
            throw new BadInputException("configuration: " + e.getMessage(), e);
        }
    }

    /** Each override value is parsed as HOCON, so lists and numbers work: -Dtracer.calibrate.targets=[0.9,0.95]. */
    static Config parseOverrides(Map<String, String> overrides) {
        Config result = ConfigFactory.empty();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String prefix = ConfigKeys.PREFIX + ".";
            String key = e.getKey().startsWith(prefix) ? e.getKey() : prefix + e.getKey();
            try {
                result = ConfigFactory.parseString(key + " = " + quoteIfNeeded(e.getValue())).withFallback(result);
            } catch (ConfigException ex) {
                throw new BadInputException("override -D" + e.getKey() + "=" + e.getValue()
                        + " is not valid HOCON: " + ex.getMessage(), ex);
            }
        }
        return result;
    }

    private static String quoteIfNeeded(String value) {
        String v = value.trim();
        if (v.startsWith("[") || v.startsWith("{") || v.startsWith("\"")) {
            return v;
        }
        if (v.matches("-?[0-9.eE+-]+|true|false")) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Config readFile(String uri) {
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(new Configuration());
            if (!fs.exists(path)) {
                throw new BadInputException("--conf " + uri + ": no such file");
            }
            try (FSDataInputStream in = fs.open(path);
                 Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return ConfigFactory.parseReader(r);
            }
        } catch (IOException e) {
            throw new BadInputException("--conf " + uri + ": cannot read: " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new BadInputException("--conf " + uri + ": " + e.getMessage(), e);
        }
    }
}
