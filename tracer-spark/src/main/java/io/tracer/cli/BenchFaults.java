package io.tracer.cli;

import io.tracer.TracerException;
import io.tracer.bench.FaultSoak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code tracer bench faults}: kill -9 at random write steps, re-run, check nothing is lost (docs/reliability.md). */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Fault soak: each round runs fit, update or route in a JVM of its own that halts itself (as "
                + "kill -9) at a random step that writes, checks the lakehouse, re-runs the command with the same run "
                + "id and checks again (CURRENT complete, metric rows once, no trace lost or merged twice, routed "
                + "output all or nothing). Prints JSON; rows_lost and invariant_violations must be 0 and empty.")
final class BenchFaults extends SparkCommand {
    @Option(names = "--kills", description = "Rounds: killed processes (default ${DEFAULT-VALUE}).")
    int kills = 50;

    @Option(names = "--seed", description = "Seed of the schedule and of the synthetic traces (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--dir", paramLabel = "DIR", description = "Local working directory, a path or a file: URI: the "
            + "soak kills processes on this machine, so its lakehouse is a local one (default: a new temporary "
            + "directory).")
    String dir;

    @Option(names = "--child-heap", description = "Heap of each killed JVM (default ${DEFAULT-VALUE}).")
    String childHeap = "2g";

    @Override
    int run(JobContext job) {
        try {
            Path work = dir != null ? Files.createDirectories(localDir(dir)) : Files.createTempDirectory("tracer-faults");
            JobShell here = JobShell.inSession(job.spark(), work);
            FaultSoak.Request req = new FaultSoak.Request(work, kills, seed, System.getProperty("java.class.path"),
                    childHeap, args -> rerun(here, args));
            BenchCommand.print(new FaultSoak(job.spark()).run(req));
            return TracerCli.EXIT_OK;
        } catch (IOException e) {
            throw new TracerException("fault soak: " + e.getMessage(), e);
        }
    }

    /**
     * {@code --dir} as a local path: a plain path, or a file: URI taken as the path it names (read
     * as a plain path, "file:/x" would become a folder named "file:" under the working directory).
     * Any other scheme is refused: the killed processes and their lakehouse live on this machine.
     */
    static Path localDir(String value) {
        String v = value.trim();
        java.net.URI uri;
        try {
            uri = new java.net.URI(v);
        } catch (java.net.URISyntaxException e) {
            return Path.of(v);
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            return Path.of(v);
        }
        if (!scheme.equalsIgnoreCase("file")) {
            throw new io.tracer.BadInputException("bench faults --dir " + value + ": the soak kills processes on this "
                    + "machine and needs a local directory (a path or a file: URI), not a " + scheme + ": URI");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new io.tracer.BadInputException("bench faults --dir " + value + ": a file: URI needs an absolute "
                    + "path, such as file:/tmp/soak");
        }
        return Path.of(uri.getPath());
    }

    /**
     * A re-run in this JVM. It prints its own summary, which goes to stderr with the logs: stdout
     * carries this benchmark's JSON alone, so {@code > soak.json} is valid JSON.
     */
    private static int rerun(JobShell here, java.util.List<String> args) {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            return TracerCli.commandLine(here).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
    }
}
