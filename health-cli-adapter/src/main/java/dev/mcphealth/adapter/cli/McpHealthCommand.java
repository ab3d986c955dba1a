package dev.mcphealth.adapter.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code mcp-health} command line. */
@Command(name = "mcp-health", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Watches the MCP servers you use, over the real protocol, and records their health.")
public final class McpHealthCommand implements java.util.concurrent.Callable<Integer> {
    /** Its commands, in the order its help lists them ({@link #addCommands}). */
    static final List<Class<?>> COMMANDS = List.of(CheckCommand.class, WatchCommand.class, StatusCommand.class,
            HistoryCommand.class, FailuresCommand.class, UsageCommand.class, CallCommand.class, FailoverCommand.class,
            DbCommand.class, DashboardCommand.class, AuthCommand.class);

    @Spec
    CommandSpec spec;

    /**
     * Adds the commands to {@code root} (this command's line) for a run with {@code args}: the one command the first
     * argument names, alone; else all of them (the help lists them, a mistyped name gets suggestions). Picocli builds
     * the model of every command it is given from its annotations, every run: the eleven took about 100 ms of each run
     * on a 2-core machine, {@code check}'s included, where one command's model is all the run uses.
     */
    public static CommandLine addCommands(CommandLine root, String... args) {
        String first = args.length > 0 ? args[0] : "";
        List<Class<?>> named = COMMANDS.stream().filter(c -> names(c).contains(first)).toList();
        for (Class<?> c : named.isEmpty() ? COMMANDS : named) {
            root.addSubcommand(c);
        }
        return root;
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> out = new java.util.ArrayList<>(List.of(c.aliases()));
        out.add(c.name());
        return out;
    }

    /** Without a command there is nothing to do: show what there is, and say so in the exit code. */
    @Override
    public Integer call() {
        return ExitCodes.usageWithoutSubcommand(spec);
    }
}
