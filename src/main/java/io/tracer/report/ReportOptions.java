package io.tracer.report;

import com.typesafe.config.Config;
import io.tracer.BadInputException;

/**
 * How much the qualitative report samples ({@code tracer.report.*}; each key falls back to its
 * default when absent, so the report runs with the shipped configuration as it is).
 *
 * @param enabled          write the report after each fit
 * @param examplesPerLabel handled and, separately, deferred examples kept per teacher label
 * @param boundarySample   handled and, separately, deferred rows per label sampled for boundary pairs
 * @param boundaryPairs    closest pairs kept per label
 */
public record ReportOptions(boolean enabled, int examplesPerLabel, int boundarySample, int boundaryPairs) {
    public static final String PREFIX = "tracer.report";
    public static final ReportOptions DEFAULTS = new ReportOptions(true, 3, 50, 3);

    public ReportOptions {
        require("examples-per-label", examplesPerLabel, 1000);
        require("boundary-sample", boundarySample, 1000);
        require("boundary-pairs", boundaryPairs, 1000);
    }

    public static ReportOptions from(Config raw) {
        try {
            return new ReportOptions(
                    raw.hasPath(PREFIX + ".enabled") ? raw.getBoolean(PREFIX + ".enabled") : DEFAULTS.enabled(),
                    raw.hasPath(PREFIX + ".examples-per-label") ? raw.getInt(PREFIX + ".examples-per-label")
                            : DEFAULTS.examplesPerLabel(),
                    raw.hasPath(PREFIX + ".boundary-sample") ? raw.getInt(PREFIX + ".boundary-sample")
                            : DEFAULTS.boundarySample(),
                    raw.hasPath(PREFIX + ".boundary-pairs") ? raw.getInt(PREFIX + ".boundary-pairs")
                            : DEFAULTS.boundaryPairs());
        } catch (com.typesafe.config.ConfigException e) {
            throw new BadInputException("configuration " + PREFIX + ": " + e.getMessage(), e);
        }
    }

    // An upper bound keeps the per-label cross join (boundary-sample squared rows) small.
    private static void require(String key, int value, int max) {
        if (value < 1 || value > max) {
            throw new BadInputException("configuration " + PREFIX + "." + key + ": must be in 1.." + max
                    + ", was " + value);
        }
    }
}
