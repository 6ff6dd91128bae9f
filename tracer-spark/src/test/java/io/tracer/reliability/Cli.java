package io.tracer.reliability;

import io.tracer.cli.JobShell;
import io.tracer.cli.TracerCli;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code tracer} commands in-process, as a user runs them (the picocli command line with its
 * exit-code mapping), in a session the test owns, and keeps what they wrote to stderr.
 */
final class Cli {
    /**
     * The cheapest fit that still runs every stage: one surrogate (Gaussian naive Bayes, one pass
     * over the rows, where a logistic regression iterates), two folds, the top-1 gate, global only.
     */
    static final List<String> CHEAP_FIT = List.of("--target", "0.8",
            "-Dtracer.zoo.skip=[mlp-1, mlp-2, lr-1e-4, lr-1e-3, lr-1e-2]", "-Dtracer.zoo.add=[nb-gaussian]",
            "-Dzoo.folds=2", "-Dgate.candidates=[top1]", "-Dpipeline.families=[global]",
            "-Dcalibrate.targets=[0.8]", "-Dcalibrate.grid-size=50", "-Dood.enabled=false",
            "-Dreport.enabled=false");

    /** An exit code and the command's stderr (picocli's "tracer: ..." line). */
    record Result(int exit, String err, List<String> args) {
        /** The one line the command printed for a user on failure ("tracer: ..."), or "". */
        String message() {
            for (String line : err.split("\n")) {
                if (line.startsWith("tracer: ")) {
                    return line.substring("tracer: ".length());
                }
            }
            return "";
        }

        @Override
        public String toString() {
            String e = err.length() > 4000 ? err.substring(0, 4000) + "..." : err;
            return "tracer " + String.join(" ", args) + " -> exit " + exit + "\n" + e;
        }
    }

    private Cli() {}

    static Result run(SparkSession spark, Path cwd, List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine cl = TracerCli.commandLine(JobShell.inSession(spark, cwd));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Result(exit, err.toString(), args);
    }

    static List<String> args(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> out.add(String.valueOf(x)));
            } else {
                out.add(String.valueOf(p));
            }
        }
        return out;
    }
}
