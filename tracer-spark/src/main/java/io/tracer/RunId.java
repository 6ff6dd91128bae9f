package io.tracer;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of one run of a command. It keys the run's rows in the metric tables (re-running an id
 * replaces them), is written on routed rows and quarantine rows, and names files and directories:
 * {@code reports/<run id>.html}, {@code policies/versions/<run id>/}. So it must be one path
 * segment Hadoop accepts on every file system: not blank, no whitespace or control characters,
 * no {@code /}, {@code \} or {@code :} (Hadoop would read {@code a:b} as a URI scheme), not
 * {@code .} or {@code ..}, at most {@value #MAX_LENGTH} characters.
 *
 * @param value the id as written in tables and paths
 */
public record RunId(String value) {
    public static final int MAX_LENGTH = 200;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public RunId {
        if (value == null || value.isEmpty()) {
            throw new BadInputException("run id: must not be empty");
        }
        String why = problem(value);
        if (why != null) {
            throw new BadInputException("run id '" + value + "': " + why);
        }
    }

    /** Parses a user-given id (e.g. {@code --run-id}); a bad one is bad input (exit 2). */
    public static RunId of(String value) {
        return new RunId(value);
    }

    /** A new sortable, unique id: UTC time plus a random suffix, {@code 20250101-120000-0f3a}. */
    public static RunId newId() {
        return newId(Clock.systemUTC());
    }

    static RunId newId(Clock clock) {
        return new RunId(ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC).format(TIME)
                + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)));
    }

    @Override
    public String toString() {
        return value;
    }

    private static String problem(String v) {
        if (v.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (v.equals(".") || v.equals("..")) {
            return "must name a file, not . or ..";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "must not contain whitespace or control characters";
            }
            if (c == '/' || c == '\\' || c == ':') {
                return "must not contain '" + c + "' (the id names files and directories)";
            }
        }
        return null;
    }
}
