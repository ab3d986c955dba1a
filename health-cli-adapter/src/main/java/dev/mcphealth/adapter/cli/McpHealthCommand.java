package dev.mcphealth.adapter.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code mcp-health} command line. */
@Command(name = "mcp-health", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Watches the MCP servers you use, over the real protocol, and records their health.")
public final class McpHealthCommand implements java.util.concurrent.Callable<Integer> {
    /**
     * Its commands by name, in the order its help lists them ({@link #addCommands}): each name is its command's own
     * ({@code @Command(name)}, a test holds them to it), here so that finding the one a run names reads no annotation.
     */
    static final Map<String, Class<?>> COMMANDS = commands(CheckCommand.class, "check", WatchCommand.class, "watch",
            StatusCommand.class, "status", HistoryCommand.class, "history", FailuresCommand.class, "failures",
            UsageCommand.class, "report", CallCommand.class, "call", FailoverCommand.class, "failover",
            DbCommand.class, "db", DashboardCommand.class, "dashboard", AuthCommand.class, "auth");

    @Spec
    CommandSpec spec;

    /**
     * Adds the commands to {@code root} (this command's line) for a run with {@code args}: the one command the first
     * argument names, alone; none for {@code --version} alone; for {@code --help} alone or no argument at all, what
     * the help lists of each (its name and description, read from its annotation: {@link #listing}); else all of them
     * (a mistyped name is said as before). Picocli builds the model of every command it is given, from its
     * annotations, every run: the eleven, with the JSON mappers three of them made then ({@link CliJson}), took 50-65
     * ms of a {@code check} on a 2-core machine (docs/benchmarks.md, "Cold start"), where one command's model is all
     * the run uses, and none is what {@code --version} or the list of commands uses.
     */
    public static CommandLine addCommands(CommandLine root, String... args) {
        Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (named != null) {
            root.addSubcommand(named);
        } else if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
            return root;
        } else if (args.length == 0 || args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            COMMANDS.values().forEach(c -> root.addSubcommand(listing(c)));
        } else {
            addAllCommands(root);
        }
        return root;
    }

    /** Adds every command's full model to {@code root}, in the order the help lists them. */
    public static CommandLine addAllCommands(CommandLine root) {
        COMMANDS.values().forEach(root::addSubcommand);
        return root;
    }

    /**
     * What the list of commands shows of command {@code c}, and nothing more: its name, aliases, header, description
     * and whether it is hidden, from its {@code @Command} (a test holds the help made of these to the full models').
     */
    static CommandSpec listing(Class<?> c) {
        Command a = c.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(a.name()).aliases(a.aliases());
        spec.usageMessage().header(a.header()).description(a.description()).hidden(a.hidden());
        return spec;
    }

    private static Map<String, Class<?>> commands(Object... classAndName) {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (int i = 0; i < classAndName.length; i += 2) {
            out.put((String) classAndName[i + 1], (Class<?>) classAndName[i]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Without a command there is nothing to do: show what there is, and say so in the exit code. */
    @Override
    public Integer call() {
        return ExitCodes.usageWithoutSubcommand(spec);
    }
}
