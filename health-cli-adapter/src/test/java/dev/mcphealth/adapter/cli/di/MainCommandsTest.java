package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.adapter.cli.WatchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A run gets the one command it names, else all of them, in the help's order; either way they behave the same. */
class MainCommandsTest {
    private static final WatchCommand.Stopper NO_SIGNALS = (stop, finished) -> () -> { };
    private static final List<String> ALL = List.of("check", "watch", "status", "history", "failures", "report", "call",
            "failover", "db", "dashboard", "auth");

    private static List<String> commands(String... args) {
        return List.copyOf(Main.commandLine(NO_SIGNALS, args).getSubcommands().keySet());
    }

    @Test
    void aRunThatNamesACommandGetsThatOneAlone() {
        assertEquals(List.of("check"), commands("check", "--config", "x.json"));
        for (String c : ALL) {
            assertEquals(List.of(c), commands(c), "the command named " + c + " is the one its annotation names so");
        }
        assertEquals(List.of("auth"), commands("auth", "login", "x"));
        assertEquals(List.of("login", "status", "logout"), List.copyOf(Main.commandLine(NO_SIGNALS,
                new String[] {"auth"}).getSubcommands().get("auth").getSubcommands().keySet()));
    }

    @Test
    void aRunThatNamesNoneGetsAllInTheHelpsOrder() {
        assertEquals(ALL, commands());
        assertEquals(ALL, commands("--help"));
        assertEquals(ALL, commands("-h"));
        assertEquals(List.of(), commands("--version"), "--version alone needs no command");
        assertEquals(List.of(), commands("-V"));
        assertEquals(ALL, commands("--version", "x"));
        assertEquals(ALL, commands("chek"));
        assertEquals(ALL, commands(""));
    }

    @Test
    void theCommandLineOfTestsHasEveryCommandsFullModel() {
        CommandLine all = Main.commandLine(NO_SIGNALS);
        assertEquals(ALL, List.copyOf(all.getSubcommands().keySet()));
        for (String c : ALL) {
            assertTrue(all.getSubcommands().get(c).getCommand() != null
                    && !all.getSubcommands().get(c).getCommandSpec().options().isEmpty(), c + "'s own model");
        }
    }

    /** What a run with {@code args} prints on stdout, and its exit code. */
    private static String printed(String[] model, String... args) {
        StringWriter out = new StringWriter();
        int exit = Main.commandLine(NO_SIGNALS, model).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(new StringWriter(), true)).execute(args);
        return exit + "\n" + out;
    }

    @Test
    void theHelpAndVersionMadeOfLessReadAsThoseOfEveryCommandsFullModel() {
        String[] full = {"chek"}; // a name no command has: every command's full model
        assertEquals(printed(full, "--help"), printed(new String[] {"--help"}, "--help"));
        assertEquals(printed(full, "-h"), printed(new String[] {"-h"}, "-h"));
        assertEquals(Main.commandLine(NO_SIGNALS, full).getUsageMessage(),
                Main.commandLine(NO_SIGNALS, new String[0]).getUsageMessage(), "no argument: the same list");
        assertEquals(printed(full, "--version"), printed(new String[] {"--version"}, "--version"));
        assertEquals(printed(full, "-V"), printed(new String[] {"-V"}, "-V"));
        assertTrue(printed(new String[] {"--help"}, "--help").contains("  check "));
    }

    @Test
    void helpAndMistakesReadAsBefore() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine root = Main.commandLine(NO_SIGNALS, new String[] {"--help"});
        assertEquals(0, root.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute("--help"));
        for (String c : ALL) {
            assertTrue(out.toString().contains("  " + c + " "), c + " listed: " + out);
        }

        StringWriter checkHelp = new StringWriter();
        assertEquals(0, Main.commandLine(NO_SIGNALS, new String[] {"check", "--help"})
                .setOut(new PrintWriter(checkHelp, true)).execute("check", "--help"));
        assertTrue(checkHelp.toString().contains("Exit codes"), checkHelp.toString());

        StringWriter typo = new StringWriter();
        assertEquals(3, Main.commandLine(NO_SIGNALS, new String[] {"chek"}).setErr(new PrintWriter(typo, true))
                .execute("chek"));
        assertEquals(List.of("mcp-health: Unmatched argument at index 0: 'chek'", "Try 'mcp-health --help' for more."),
                typo.toString().lines().toList());
    }

    @Test
    void outputThatCouldNotBeWrittenIsSaidAndExitsThreeNotAsTheCommandSaid() {
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8);
        java.io.PrintStream full = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        }, true);
        full.println("{\"overall\":\"healthy\"}");
        assertEquals(3, Main.delivered(0, full, err));
        assertEquals("mcp-health: the output could not be written (standard output closed, or its disk full)\n",
                said.toString(java.nio.charset.StandardCharsets.UTF_8));
        java.io.PrintStream fine = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true);
        fine.println("ok");
        assertEquals(2, Main.delivered(2, fine, err), "written: the command's own code");
    }
}
