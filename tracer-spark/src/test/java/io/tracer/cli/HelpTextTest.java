package io.tracer.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's help text renders as written. picocli formats descriptions with
 * {@link String#format}, so a bare {@code %} ("2% teacher noise") makes it print a warning and the
 * raw text, {@code %n} and all, to a user asking for {@code --help}.
 */
class HelpTextTest {

    @Test
    void everyDescriptionOfEveryCommandFormats() {
        List<String> broken = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        walk(TracerCli.commandLine(), broken, commands);
        assertTrue(commands.size() > 10, "the walk reaches the subcommands: " + commands);
        assertEquals(List.of(), broken);
    }

    private static void walk(CommandLine cl, List<String> broken, List<String> commands) {
        CommandSpec spec = cl.getCommandSpec();
        commands.add(spec.qualifiedName());
        check(spec.qualifiedName(), spec.usageMessage().description(), broken);
        for (ArgSpec arg : spec.args()) {
            check(spec.qualifiedName() + " " + arg.paramLabel(), arg.description(), broken);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            walk(sub, broken, commands);
        }
    }

    private static void check(String where, String[] lines, List<String> broken) {
        for (String line : lines) {
            // picocli fills ${DEFAULT-VALUE} and the like before it formats
            String text = line.replaceAll("\\$\\{[^}]*}", "x");
            try {
                String.format(text);
            } catch (IllegalFormatException e) {
                broken.add(where + ": " + e + " in \"" + line + "\"");
            }
        }
    }
}
