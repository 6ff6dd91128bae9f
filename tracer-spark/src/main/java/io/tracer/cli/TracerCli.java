package io.tracer.cli;

import io.tracer.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tracer} command. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.
 */
@Command(name = "tracer", mixinStandardHelpOptions = true, versionProvider = TracerCli.Version.class,
        description = "Learns from LLM traces when a cheap surrogate can answer instead, "
                + "with a certified agreement guarantee.",
        subcommands = {GenerateCommand.class, EmbedCommand.class, ScanCommand.class, FitCommand.class, DemoCommand.class,
                RouteCommand.class, AuditCommand.class, ReportCommand.class, UpdateCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class TracerCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final JobShell shell;

    /** The command line of a real run: each command builds its own session. */
    public TracerCli() {
        this(JobShell.standalone());
    }

    /** Runs every Spark command in {@code shell} (tests pass one on their shared session). */
    public TracerCli(JobShell shell) {
        this.shell = shell;
    }

    /** The shell every Spark command of this command line runs in. */
    public JobShell shell() {
        return shell;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand (tracer --help lists them)");
    }

    public static CommandLine commandLine() {
        return commandLine(JobShell.standalone());
    }

    /** The command line with its exit-code mapping, running Spark commands in {@code shell}. */
    public static CommandLine commandLine(JobShell shell) {
        CommandLine cl = new CommandLine(new TracerCli(shell));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof BadInputException) {
                cmd.getErr().println("tracer: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("tracer: failed: " + ex);
            ex.printStackTrace(cmd.getErr());
            return EXIT_FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TracerCli.class.getPackage().getImplementationVersion();
            return new String[] {"tracer-spark " + (v == null ? "dev" : v)};
        }
    }
}
