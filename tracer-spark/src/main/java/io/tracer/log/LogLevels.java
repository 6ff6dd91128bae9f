package io.tracer.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches for how much the jobs say. Levels themselves come from the logging configuration
 * ({@code conf/log4j2.properties} for {@code jobs/tracer}, where {@code TRACER_LOG_LEVEL} sets
 * tracer's level); this class only adds {@code --quiet} and the question whether library chatter
 * that is not a logger (XGBoost's per-round evaluation, printed by native code) should be on.
 */
public final class LogLevels {
    /**
     * The logger whose level decides library chatter: DEBUG or finer turns XGBoost's per-round
     * evaluation on. It inherits {@code io.tracer}'s level, so {@code TRACER_LOG_LEVEL=debug} turns
     * it on; {@code logger.libraries.name = io.tracer.libraries} in a log4j2 config sets it alone.
     */
    public static final String LIBRARIES = "io.tracer.libraries";

    private LogLevels() {}

    /** True when library chatter should be shown ({@link #LIBRARIES} at DEBUG). */
    public static boolean libraryChatter() {
        return LoggerFactory.getLogger(LIBRARIES).isDebugEnabled();
    }

    /**
     * {@code --quiet}: tracer's own loggers at WARN, so a run shows only warnings, errors and what
     * the command prints on stdout (the summary). Needs log4j2 (Spark's backend); with another
     * backend it says so and changes nothing.
     */
    public static void quiet() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel("io.tracer",
                    org.apache.logging.log4j.Level.WARN);
        } catch (LinkageError e) {
            Logger log = LoggerFactory.getLogger(LogLevels.class);
            log.warn("--quiet needs log4j2 as the logging backend ({}); set the io.tracer logger to WARN instead",
                    e.toString());
        }
    }
}
