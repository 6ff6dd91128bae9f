package io.tracer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracer.TracerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * B3: the default fit at several sizes, each in a JVM of its own (the same java, JVM flags and
 * classpath as this one), so the fit time, heap and RSS of one size are not the leftovers of
 * another. For each size it generates the traces when they are not there yet (generation is not
 * timed), then runs {@code tracer bench scale-fit}, which fits and judges every target on one
 * held-out draw of the same population, and collects its JSON row.
 */
public final class ScaleBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleBenchmark.class);
    /** The held-out draw's trace ids start here: far above every training size, so it never overlaps one. */
    public static final long HELD_OUT_FIRST_ID = 1_000_000_000L;

    /** What one run measures. */
    /** @param liveHeap whether each fit also measures the driver's live heap at stage ends ({@link ScaleFit}) */
    public record Request(List<Long> sizes, long heldOutRows, String dataDir, int dim, int labels, double noise,
                          boolean liveHeap, List<String> passThrough) {}

    /** A child JVM's command: the same java with the same flags and classpath, running TracerCli. */
    static List<String> childCommand(List<String> tracerArgs) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tracer.cli.TracerCli");
        cmd.addAll(tracerArgs);
        return cmd;
    }

    public Map<String, Object> run(Request request) {
        String data = request.dataDir().replaceAll("/+$", "");
        String heldOut = data + "/heldout-" + request.heldOutRows();
        generateIfMissing(heldOut, request.heldOutRows(), HELD_OUT_FIRST_ID, request);
        List<Object> rows = new ArrayList<>();
        for (long size : request.sizes()) {
            String traces = data + "/traces-" + size;
            generateIfMissing(traces, size, 0, request);
            List<String> args = new ArrayList<>(List.of("bench", "scale-fit", "--traces", traces, "--heldout", heldOut,
                    "--lakehouse", data + "/lake-" + size, "--run-id", "scale-" + size));
            if (request.liveHeap()) {
                args.add("--live-heap");
            }
            args.addAll(request.passThrough());
            LOG.info("scale: fitting {} traces in a fresh JVM", size);
            rows.add(readJson(runChild(args, "scale-fit " + size)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "scale");
        out.put("dim", request.dim());
        out.put("labels", request.labels());
        out.put("noise", request.noise());
        out.put("heldout_rows", request.heldOutRows());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("rows", rows);
        return out;
    }

    /** Writes the draw with {@code tracer generate} in a child JVM, unless a previous run left it. */
    private void generateIfMissing(String uri, long rows, long firstId, Request request) {
        List<String> args = new ArrayList<>(List.of("generate", "--rows", Long.toString(rows), "--dim",
                Integer.toString(request.dim()), "--labels", Integer.toString(request.labels()), "--noise",
                Double.toString(request.noise()), "--first-id", Long.toString(firstId), "--output", uri,
                "--if-missing"));
        args.addAll(request.passThrough());
        runChild(args, "generate " + rows);
    }

    /** Runs a child TracerCli; its log goes to this stderr, its stdout is returned. */
    private static String runChild(List<String> tracerArgs, String what) {
        ProcessBuilder pb = new ProcessBuilder(childCommand(tracerArgs)).redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = p.waitFor();
            if (exit != 0) {
                throw new TracerException("scale: " + what + " exited " + exit);
            }
            return out;
        } catch (IOException e) {
            throw new TracerException("scale: cannot run " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TracerException("scale: interrupted in " + what, e);
        }
    }

    private static Object readJson(String text) {
        try {
            return new ObjectMapper().readValue(text, Object.class);
        } catch (IOException e) {
            throw new TracerException("scale: a child printed no JSON document: " + e.getMessage(), e);
        }
    }
}
