package io.tracer.route;

import io.tracer.cli.FitCommand;
import io.tracer.cli.GenerateCommand;
import io.tracer.cli.RouteCommand;
import picocli.CommandLine;

/**
 * B4 (Spark half) by hand, through the commands as a user runs them: generate 20k fit traces and
 * 1M traffic rows (384-d, 77 labels), fit, then route the 1M rows. Run with
 * {@code -Dspark.master=local[2]}; the route command logs rows/s.
 *
 * <p>Args: a work directory URI (file:/...), then optionally the traffic rows and fit rows.
 *
 * <p>Why it stays in test scope: it only chains commands every user already has ({@code tracer
 * generate}, {@code fit}, {@code route}) to check B4 through the command line by hand; the
 * user-facing B4 is {@code tracer bench routing}, which generates its traffic and times the route.
 */
public final class RouteThroughputMain {
    public static void main(String[] args) {
        String dir = args[0];
        String traffic = args.length > 1 ? args[1] : "1000000";
        String fitRows = args.length > 2 ? args[2] : "20000";
        String lake = dir + "/lake";
        boolean skipPrep = Boolean.getBoolean("b4.skipPrep");
        if (!skipPrep) {
            run(new GenerateCommand(), "--output", dir + "/fit-traces", "--rows", fitRows, "--dim", "384", "--labels", "77",
                    "--seed", "42", "--overwrite");
            run(new GenerateCommand(), "--output", dir + "/traffic", "--rows", traffic, "--dim", "384", "--labels", "77",
                    "--seed", "42", "--overwrite");
            run(new FitCommand(), "--traces", dir + "/fit-traces", "--lakehouse", lake, "--target", "0.9",
                    "--run-id", "b4-fit", "-Dtracer.zoo.skip=[mlp-1, mlp-2]", "-Dtracer.gate.candidates=[top1, logistic]");
        }
        long t0 = System.nanoTime();
        java.util.List<String> route = new java.util.ArrayList<>(java.util.List.of("--policy", lake + "/policies",
                "--input", dir + "/traffic", "--output", dir + "/routed", "--overwrite", "--lakehouse", lake,
                "--run-id", "b4-route-" + System.currentTimeMillis()));
        if (Boolean.getBoolean("b4.noOod")) {
            route.add("--no-ood");
        }
        run(new RouteCommand(), route.toArray(String[]::new));
        System.err.printf("B4: route command wall %.1f s (session start included)%n", (System.nanoTime() - t0) / 1e9);
    }

    private static void run(Object command, String... args) {
        int code = new CommandLine(command).execute(args);
        if (code != 0) {
            throw new IllegalStateException(command.getClass().getSimpleName() + " exited " + code);
        }
    }
}
