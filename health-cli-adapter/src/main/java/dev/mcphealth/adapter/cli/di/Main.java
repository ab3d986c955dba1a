package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.adapter.cli.CheckCommand;
import dev.mcphealth.adapter.cli.DbCommand;
import dev.mcphealth.adapter.cli.ExitCodes;
import dev.mcphealth.adapter.cli.FailuresCommand;
import dev.mcphealth.adapter.cli.HistoryCommand;
import dev.mcphealth.adapter.cli.McpHealthCommand;
import dev.mcphealth.adapter.cli.StatusCommand;
import dev.mcphealth.adapter.cli.UsageCommand;
import dev.mcphealth.adapter.cli.WatchCommand;
import dev.mcphealth.infrastructure.di.ProcessDefaults;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Entry point of {@code bin/mcp-health}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        java.util.Optional<String> quick = HelpText.answer(args); // --help, --version: no command line to build
        if (quick.isPresent()) {
            System.out.print(quick.get());
            ProcessDefaults.exit(delivered(ExitCodes.OK, System.out, System.err));
            return;
        }
        ProcessDefaults.logging(System.getenv().getOrDefault("MCP_HEALTH_LOG", "error"), true);
        configureAsyncPool(Runtime.getRuntime().availableProcessors());
        ProcessDefaults.fatalErrors("mcp-health", System.err, ExitCodes.UNKNOWN);
        Warmup.begin(args);
        ProcessDefaults.exit(delivered(run(args), System.out, System.err));
    }

    /**
     * {@code code}, unless what the command printed could not be written (stdout a full disk, a closed pipe: the
     * print streams keep such errors to themselves): then one line says so and the exit is 3, as for any check that
     * could not be done: a script must not take a check it never received for a pass.
     */
    static int delivered(int code, java.io.PrintStream out, java.io.PrintStream err) {
        if (!out.checkError()) {
            return code;
        }
        err.println("mcp-health: the output could not be written (standard output closed, or its disk full)");
        err.flush();
        return ExitCodes.UNKNOWN;
    }

    static final String COMMON_PARALLELISM = ProcessDefaults.COMMON_PARALLELISM;

    /** See {@link ProcessDefaults#asyncPool}. */
    static void configureAsyncPool(int cores) {
        ProcessDefaults.asyncPool(cores);
    }

    /** See {@link ProcessDefaults#logging}. */
    static void configureLogging(String level) {
        ProcessDefaults.logging(level);
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM tell the watch to stop; it then writes what it holds and exits 0 by itself. The
     * signals are handled instead of starting the JVM's shutdown, which would end the process with 130/143 whatever
     * the command returned, and could cut the last writes short. A second signal gives up at once (exit 130).
     */
    @SuppressWarnings("removal")
    private static AutoCloseable onCtrlC(Runnable stop, CountDownLatch finished) {
        AtomicBoolean asked = new AtomicBoolean();
        Map<sun.misc.Signal, sun.misc.SignalHandler> previous = new java.util.LinkedHashMap<>();
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            previous.put(signal, sun.misc.Signal.handle(signal, s -> {
                if (asked.getAndSet(true)) {
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                stop.run();
            }));
        }
        return () -> previous.forEach(sun.misc.Signal::handle);
    }

    static int run(String... args) {
        return commandLine(Main::onCtrlC, args).execute(args);
    }

    /** The command line with every command ({@link McpHealthCommand#addCommands}). */
    static CommandLine commandLine() {
        return commandLine(Main::onCtrlC);
    }

    /**
     * With the way a watch learns of Ctrl-C given, so that a test can stop it as a user would; every command's full
     * model, for any arguments.
     */
    static CommandLine commandLine(WatchCommand.Stopper stopper) {
        return commandLine(stopper, McpHealthCommand::addAllCommands);
    }

    /** For a run with {@code args}: the command they name alone, else all ({@link McpHealthCommand#addCommands}). */
    static CommandLine commandLine(WatchCommand.Stopper stopper, String[] args) {
        return commandLine(stopper, root -> McpHealthCommand.addCommands(root, args));
    }

    private static CommandLine commandLine(WatchCommand.Stopper stopper, UnaryOperator<CommandLine> commands) {
        Map<String, String> env = System.getenv();
        String home = System.getProperty("user.home");
        Clock clock = Clock.systemUTC();
        ComponentCheckSessions sessions = new ComponentCheckSessions(env, home);
        ComponentWatchSessions watches = new ComponentWatchSessions(env, home);
        ComponentStoreSessions stores = new ComponentStoreSessions(env, home);
        ComponentAuthSessions auth = new ComponentAuthSessions(env, clock);
        boolean terminal = System.console() != null;
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == CheckCommand.class) {
                    return type.cast(new CheckCommand(sessions));
                }
                if (type == WatchCommand.class) {
                    return type.cast(new WatchCommand(watches, clock, terminal, stopper));
                }
                if (type == dev.mcphealth.adapter.cli.CallCommand.class) {
                    return type.cast(new dev.mcphealth.adapter.cli.CallCommand(watches, clock, stopper));
                }
                if (type == dev.mcphealth.adapter.cli.FailoverCommand.class) {
                    return type.cast(new dev.mcphealth.adapter.cli.FailoverCommand(watches));
                }
                if (type == StatusCommand.class) {
                    return type.cast(new StatusCommand(stores, clock));
                }
                if (type == HistoryCommand.class) {
                    return type.cast(new HistoryCommand(stores));
                }
                if (type == FailuresCommand.class) {
                    return type.cast(new FailuresCommand(stores));
                }
                if (type == UsageCommand.class) {
                    return type.cast(new UsageCommand(stores));
                }
                if (type == dev.mcphealth.adapter.cli.DashboardCommand.class) {
                    return type.cast(new dev.mcphealth.adapter.cli.DashboardCommand(stores, clock, stopper));
                }
                if (type == dev.mcphealth.adapter.cli.AuthCommand.Login.class) {
                    return type.cast(new dev.mcphealth.adapter.cli.AuthCommand.Login(auth));
                }
                if (type == dev.mcphealth.adapter.cli.AuthCommand.Status.class) {
                    return type.cast(new dev.mcphealth.adapter.cli.AuthCommand.Status(auth));
                }
                if (type == dev.mcphealth.adapter.cli.AuthCommand.Logout.class) {
                    return type.cast(new dev.mcphealth.adapter.cli.AuthCommand.Logout(auth));
                }
                if (type == DbCommand.Prune.class) {
                    return type.cast(new DbCommand.Prune(stores));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return ExitCodes.install(commands.apply(new CommandLine(new McpHealthCommand(), factory)));
    }
}
