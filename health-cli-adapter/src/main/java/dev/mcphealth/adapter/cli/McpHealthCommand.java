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
     * argument names, alone; else all of them (the help lists them; a mistyped name is said as before). Picocli builds
     * the model of every command it is given, from its annotations, every run: the eleven, with the JSON mappers three
     * of them made then ({@link CliJson}), took 50-65 ms of a {@code check} on a 2-core machine (docs/benchmarks.md,
     * "Cold start"), where one command's model is all the run uses.
     */
    public static CommandLine addCommands(CommandLine root, String... args) {
        Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        for (Class<?> c : named != null ? List.<Class<?>>of(named) : COMMANDS.values()) {
            root.addSubcommand(c);
        }
        return root;
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
