package io.tracer.bench;

import io.tracer.Faults;
import io.tracer.TracerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tracer} command in a JVM of its own, optionally armed to halt itself at a kill point
 * ({@link Faults}): the way the fault tests and {@code tracer bench faults} kill a real process
 * (Runtime.halt: no shutdown hook, no finally block, as kill -9).
 */
public final class TracerProcess {
    /** The flags Spark needs on Java 17 (as in jobs/tracer and the surefire argLine). */
    public static final List<String> JVM_OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    /** How the child ended: its exit status and the tail of its stderr. */
    public record Outcome(int exit, boolean halted, String stderrTail, double seconds) {}

    private final String classPath;
    private final Path workDir;
    private final String heap;

    /**
     * @param classPath the class path of the child (this JVM's, or surefire's test class path)
     * @param workDir   the child's working directory; its stderr goes to a file there
     */
    public TracerProcess(String classPath, Path workDir, String heap) {
        this.classPath = classPath;
        this.workDir = workDir;
        this.heap = heap;
    }

    /** Runs {@code tracer args...}, halting at {@code killPoint} when it is not null; waits at most {@code timeoutSeconds}. */
    public Outcome run(List<String> args, String killPoint, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.addAll(JVM_OPENS);
        if (killPoint != null) {
            cmd.add("-D" + Faults.PROPERTY + "=" + killPoint);
            cmd.add("-D" + Faults.MODE_PROPERTY + "=halt");
        }
        cmd.add("-Dspark.ui.enabled=false");
        String log4j = System.getProperty("log4j.configurationFile");
        if (log4j != null) {
            cmd.add("-Dlog4j.configurationFile=" + log4j);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("io.tracer.cli.TracerCli");
        cmd.addAll(args);
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(workDir);
            Path err = Files.createTempFile(workDir, "child-", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
            pb.environment().remove(Faults.ENV);
            pb.environment().put("TRACER_LOG_LEVEL", "warn");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                throw new TracerException("tracer " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s");
            }
            String text = Files.readString(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(err);
            String tail = text.length() > 3000 ? text.substring(text.length() - 3000) : text;
            boolean halted = p.exitValue() == Faults.HALT_STATUS && text.contains("tracer-fault: halting at");
            return new Outcome(p.exitValue(), halted, tail, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new TracerException("cannot start a tracer process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TracerException("interrupted while waiting for a tracer process", e);
        }
    }
}
