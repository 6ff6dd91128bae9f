package io.tracer.cli;

import io.tracer.config.ConfigKeys;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code --lakehouse}: the lakehouse root, for every command that reads or writes under it. */
public final class LakehouseOption {
    @Option(names = "--lakehouse", paramLabel = "URI",
            description = "Lakehouse root for tables, policies and caches (" + ConfigKeys.LAKEHOUSE_ROOT + ").")
    String root;

    /** The flag as a configuration override, or nothing when not given. */
    Map<String, String> overrides() {
        return root == null ? Map.of() : Map.of(ConfigKeys.LAKEHOUSE_ROOT, root);
    }
}
