package io.tracer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kill points for the reliability tests: every step that writes names itself here
 * ({@link #point(String)}), and a test can make the process die there.
 *
 * <p>Armed by the system property {@value #PROPERTY} (or the environment variable
 * {@value #ENV}) holding a point name, optionally with the occurrence to stop at
 * ({@code table.runs#2}: the second write of the runs table). Unarmed, a point costs one
 * volatile read. How the process dies is {@value #MODE_PROPERTY}:
 * <ul>
 *   <li>{@code halt} (the default): {@code Runtime.halt(137)}, as kill -9 leaves it: no
 *       shutdown hook, no finally block, nothing flushed;</li>
 *   <li>{@code throw}: an {@link InjectedKill} (an Error that no tracer code catches, so no
 *       failure is recorded and nothing after the point runs), for tests that kill a run inside
 *       the test JVM and re-run it there.</li>
 * </ul>
 * Before halting, a line {@code tracer-fault: halting at <point>} goes to stderr so that a parent
 * process can tell where its child died. Never armed in production: the property is for tests and
 * for {@code tracer bench faults}.
 */
public final class Faults {
    public static final String PROPERTY = "tracer.fault.at";
    public static final String ENV = "TRACER_FAULT_AT";
    public static final String MODE_PROPERTY = "tracer.fault.mode";
    /** The exit status of a halted process, as a shell reports a SIGKILL (128 + 9). */
    public static final int HALT_STATUS = 137;

    /** How an armed point stops the process. */
    public enum Mode { HALT, THROW }

    /** What a point throws in {@link Mode#THROW}: an Error, so catch (RuntimeException) blocks let it pass. */
    public static final class InjectedKill extends Error {
        public InjectedKill(String point) {
            super("injected kill at " + point);
        }
    }

    private static volatile String armed = initial();
    private static volatile Mode mode = initialMode();
    private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

    private Faults() {}

    private static String initial() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        return p == null || p.isBlank() ? null : p.trim();
    }

    private static Mode initialMode() {
        String m = System.getProperty(MODE_PROPERTY);
        return m != null && m.trim().equalsIgnoreCase("throw") ? Mode.THROW : Mode.HALT;
    }

    /** Arms {@code spec} ({@code name} or {@code name#n}) and resets the occurrence counts. */
    public static synchronized void arm(String spec, Mode how) {
        HITS.clear();
        mode = how;
        armed = spec == null || spec.isBlank() ? null : spec.trim();
    }

    /** No point stops the process any more. */
    public static synchronized void disarm() {
        armed = null;
        HITS.clear();
    }

    /** The armed spec, or null. */
    public static String armed() {
        return armed;
    }

    /**
     * For a kill in the middle of a distributed write: when armed for {@code name} in halt mode,
     * the process halts as soon as the next Spark task ends, that is after the write's first
     * task wrote its files and before the job (and so the commit) completes. In throw mode it
     * behaves as {@link #point(String)} (a test JVM cannot halt, and a kill before the write
     * leaves the same state as one before its commit).
     */
    public static void haltOnTaskEnd(org.apache.spark.sql.SparkSession spark, String name) {
        String spec = armed;
        if (spec == null || !spec.equals(name)) {
            return;
        }
        if (mode == Mode.THROW) {
            point(name);
            return;
        }
        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd taskEnd) {
                System.err.println("tracer-fault: halting at " + spec + " (after task " + taskEnd.taskInfo().taskId()
                        + " of stage " + taskEnd.stageId() + ")");
                System.err.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }
        });
    }

    /** A step that writes has just finished (or is about to start): stop here when armed for it. */
    public static void point(String name) {
        String spec = armed;
        if (spec == null) {
            return;
        }
        String target = spec;
        int occurrence = 1;
        int hash = spec.lastIndexOf('#');
        if (hash > 0) {
            target = spec.substring(0, hash);
            occurrence = Integer.parseInt(spec.substring(hash + 1));
        }
        if (!target.equals(name)) {
            return;
        }
        int hit = HITS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (hit != occurrence) {
            return;
        }
        if (mode == Mode.THROW) {
            throw new InjectedKill(spec);
        }
        System.err.println("tracer-fault: halting at " + spec);
        System.err.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
