package io.tracer.ood;

import com.typesafe.config.Config;
import io.tracer.BadInputException;

/**
 * {@code tracer.ood}: whether a fit measures the out-of-distribution gate, and how.
 *
 * @param enabled      measure the gate at fit time (and so apply it in certification and routing)
 * @param quantile     a row is out of distribution when its distance exceeds this quantile of
 *                     the train rows' distances (per predicted label)
 * @param minLabelRows labels predicted on fewer train rows than this use the global quantile
 */
public record OodConfig(boolean enabled, double quantile, int minLabelRows) {
    public static final String PREFIX = "tracer.ood";
    public static final OodConfig DEFAULTS = new OodConfig(true, 0.99, 30);

    public OodConfig {
        if (!(quantile > 0 && quantile <= 1)) {
            throw new BadInputException("configuration " + PREFIX + ".quantile: must be in (0, 1], was " + quantile);
        }
        if (minLabelRows < 1) {
            throw new BadInputException("configuration " + PREFIX + ".min-label-rows: must be >= 1, was "
                    + minLabelRows);
        }
    }

    /** Reads {@code tracer.ood} from the resolved config, each key falling back to its default when absent. */
    public static OodConfig from(Config raw) {
        try {
            return new OodConfig(
                    raw.hasPath(PREFIX + ".enabled") ? raw.getBoolean(PREFIX + ".enabled") : DEFAULTS.enabled(),
                    raw.hasPath(PREFIX + ".quantile") ? raw.getDouble(PREFIX + ".quantile") : DEFAULTS.quantile(),
                    raw.hasPath(PREFIX + ".min-label-rows") ? raw.getInt(PREFIX + ".min-label-rows")
                            : DEFAULTS.minLabelRows());
        } catch (com.typesafe.config.ConfigException e) {
            throw new BadInputException("configuration " + PREFIX + ": " + e.getMessage(), e);
        }
    }
}
