package dev.mcphealth.adapter.cli;

import dev.mcphealth.adapter.web.RecentEvents;
import dev.mcphealth.adapter.web.WebPages;
import dev.mcphealth.adapter.web.WebServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mcp-health dashboard --http PORT}: the web dashboard of a database, with no monitor running here: the status,
 * history and failures the last (or a running) watch recorded, read from the database, the pages saying so and how
 * old it is.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Serves the web dashboard of a database without watching: what the last (or a running) 'mcp-health"
                + " watch' recorded, read from the database and marked so (docs/dashboard.md).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped (Ctrl-C, or --duration over)",
            "3:usage or database error, or the address cannot be bound"})
public final class DashboardCommand implements Callable<Integer> {
    private final StoreSessions sessions;
    private final Clock clock;
    private final WatchCommand.Stopper stopper;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOption db;

    @Mixin
    HttpOption http;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "stop after this long (90s, 15m, 1h); default: until Ctrl-C")
    String duration;

    public DashboardCommand(StoreSessions sessions, Clock clock, WatchCommand.Stopper stopper) {
        this.sessions = sessions;
        this.clock = clock;
        this.stopper = stopper;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        WebServer.Settings settings = http.settings(spec, err).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "--http PORT is required: where to serve the dashboard"));
        Optional<Duration> runFor = CliArgs.duration(spec, "--duration", duration);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C heard from the start: while the database opens too, it stops this cleanly (exit 0)
        try (AutoCloseable hook = stopper.onInterrupt(stop::countDown, finished);
             StoreSession store = sessions.open(db.file());
             WebServer web = serve(settings, store)) {
            err.println("mcp-health: dashboard of " + store.database() + " on " + web.url() + " (read from the"
                    + " database; no monitor runs here)");
            err.flush();
            if (runFor.isPresent()) {
                stop.await(runFor.get().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
            return ExitCodes.OK;
        } finally {
            finished.countDown();
        }
    }

    private WebServer serve(WebServer.Settings settings, StoreSession store) {
        try {
            return WebServer.start(settings, new WebPages.Sources(() -> store.status().read(), store.history(),
                    store.failures(), Optional.empty(), new RecentEvents(), Optional.empty(), clock, false,
                    store.cluster()));
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(e.getMessage(), e);
        } catch (Exception e) {
            throw new UsageProblem("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(),
                    e);
        }
    }
}
