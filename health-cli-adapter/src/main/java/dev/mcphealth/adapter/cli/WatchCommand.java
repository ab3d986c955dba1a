package dev.mcphealth.adapter.cli;

import dev.mcphealth.adapter.web.WebServer;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-health watch}: probe every server on its interval until Ctrl-C or the duration, recording everything. */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Watches MCP servers continuously over their real protocol: status with hysteresis, one alert per "
                + "episode, predictions before thresholds are crossed, tool drift.",
            "Records to the database as it goes, so 'mcp-health status' in another terminal sees what this watch "
                + "sees. Events also go to health.alerts' file and webhook when configured."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the watch ran until Ctrl-C or --duration and recorded everything it saw",
            "3:usage, configuration or database error: the database is in use by another monitor, was deleted and "
                + "could not be made again, rows could not be recorded, or the file was found damaged at the end"})
public final class WatchCommand implements Callable<Integer> {
    private final WatchSessions sessions;
    private final Clock clock;
    private final boolean terminal;
    private final Stopper stopper;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    DatabaseOption db;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "probe every server this often (1..86400), instead of each one's health.servers.X.intervalSeconds (default 60)")
    Integer interval;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "stop after this long (90s, 15m, 1h, 1h30m); default: until Ctrl-C")
    String duration;

    @Option(names = "--depth", paramLabel = "DEPTH", defaultValue = "basic",
            description = "basic, or comprehensive (also lists tools, to detect drift); default: ${DEFAULT-VALUE}")
    String depth;

    @Option(names = "--json", description = "print events as JSON lines (status_changed, alert, alert_resolved, prediction, drift, recovery_started, recovery_succeeded, recovery_failed, recovery_exhausted, failover, breaker) and nothing else")
    boolean json;

    @Mixin
    HttpOption http;

    /** How the command learns it should stop early (Ctrl-C); the composition root installs it. */
    @FunctionalInterface
    public interface Stopper {
        /** Calls {@code stop} when the user interrupts; returns a handle that removes the hook. */
        AutoCloseable onInterrupt(Runnable stop, CountDownLatch finished);
    }

    public WatchCommand(WatchSessions sessions, Clock clock, boolean terminal, Stopper stopper) {
        this.sessions = sessions;
        this.clock = clock;
        this.terminal = terminal;
        this.stopper = stopper;
    }

    @Override
    public Integer call() throws Exception {
        Optional<Duration> every = parseInterval();
        Optional<Duration> runFor = parseDuration();
        CheckDepth d = parseDepth();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<WebServer.Settings> web = http.settings(spec, err);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        boolean live = terminal && !json;
        try (WatchSession session = sessions.open(config.file(), db.file(), every, d,
                json ? Optional.of(out) : Optional.empty(), e -> {
                    if (!json && !live) {
                        out.println(line(e));
                        out.flush();
                    }
                }, true);
             AutoCloseable hook = stopper.onInterrupt(stop::countDown, finished)) {
            session.whenStoreLost(stop::countDown);
            if (web.isPresent()) {
                err.println("mcp-health: dashboard on " + session.serve(web.get()));
            }
            err.println("mcp-health: watching, recording to " + session.database()
                    + runFor.map(r -> " for " + Durations.format(r)).orElse(" until Ctrl-C"));
            err.flush();
            session.start();
            Optional<Instant> deadline = runFor.map(r -> clock.instant().plus(r));
            while (true) {
                long leftMs = deadline.map(end -> Math.max(0, Duration.between(clock.instant(), end).toMillis()))
                        .orElse(TimeUnit.DAYS.toMillis(1));
                long waitMs = live ? Math.min(1000, leftMs) : leftMs;
                if (stop.await(waitMs, TimeUnit.MILLISECONDS)
                        || deadline.filter(end -> !clock.instant().isBefore(end)).isPresent()) {
                    break;
                }
                if (live) {
                    redraw(out, session.monitor().snapshot());
                }
            }
            FlushReport last = session.stop(Duration.ofSeconds(5));
            if (!json) {
                out.print(StatusView.table(session.monitor().snapshot(), clock.instant()));
                out.flush();
            }
            return summary(err, last, session.storeLost(), session.damage());
        } finally {
            finished.countDown();
        }
    }

    private void redraw(PrintWriter out, List<StatusSnapshot> snapshot) {
        out.print("\033[H\033[2J");
        out.print(StatusView.table(snapshot, clock.instant()));
        out.flush();
    }

    /**
     * What the watch could not do, one line each, and its exit code: 3 when the database was lost (the watch stopped
     * early), anything it saw is not in the database (rows still waiting at the end, or dropped on the way when the
     * buffer was full), or the file is damaged (overwritten in place while it was written: every write succeeded, and
     * what they wrote may not be readable), since the record it was run to make is incomplete; else 0.
     */
    private static int summary(PrintWriter err, FlushReport last, Optional<String> lost, Optional<String> damage) {
        lost.ifPresent(reason -> err.println("mcp-health: " + reason + "; the watch stopped"));
        if (last.storageProblem().isPresent()) {
            err.println("mcp-health: " + (last.pending() > 0 ? last.pending() + " rows" : "the last status")
                    + " not recorded: " + last.storageProblem().get());
        }
        if (last.dropped() > 0) {
            err.println("mcp-health: " + last.dropped() + " metric rows dropped while the database was"
                    + " unavailable (the buffer was full)");
        }
        damage.ifPresent(d -> err.println("mcp-health: " + d + "; what was recorded in it may not be readable:"
                + " keep a copy, then move it aside (the next start makes a new one) or put a backup in its place"));
        err.flush();
        boolean incomplete = lost.isPresent() || last.storageProblem().isPresent() || last.dropped() > 0
                || damage.isPresent();
        return incomplete ? ExitCodes.UNKNOWN : ExitCodes.OK;
    }

    /**
     * One human line per event, for a watch whose output is not a terminal; control and bidirectional formatting
     * characters (of names, of a server's error text) are escaped.
     */
    static String line(MonitorEvent e) {
        return Printable.escape(text(e));
    }

    private static String text(MonitorEvent e) {
        String at = e.at().toString();
        if (e instanceof MonitorEvent.StatusChanged c) {
            return at + " " + c.server() + " " + c.from().map(x -> x.code()).orElse("unknown") + " -> " + c.to().code()
                    + c.failure().map(f -> " (" + f.type().code() + ": " + f.message() + ")").orElse("");
        }
        if (e instanceof MonitorEvent.AlertRaised a) {
            return at + " ALERT " + a.alert().severity().code() + " " + a.alert().message();
        }
        if (e instanceof MonitorEvent.AlertResolved a) {
            return at + " RESOLVED " + a.alert().message();
        }
        if (e instanceof MonitorEvent.PredictionRaised p) {
            return at + " PREDICTION " + p.server() + " " + p.metric().code() + " may reach "
                    + Math.round(p.threshold() * 1000) / 1000.0 + " in about " + Durations.format(p.timeToCross());
        }
        if (e instanceof MonitorEvent.ToolsDrifted t) {
            return at + " DRIFT " + t.server() + " tools added " + t.drift().added() + ", removed "
                    + t.drift().removed() + ", changed " + t.drift().changed();
        }
        if (e instanceof MonitorEvent.BreakerChanged b) {
            return at + " BREAKER " + b.server() + " " + b.from().code() + " -> " + b.to().code() + " (" + b.reason()
                    + ")";
        }
        if (e instanceof MonitorEvent.RecoveryStarted r) {
            return at + " RECOVERY " + r.server() + " " + r.action().code() + " attempt " + r.attempt();
        }
        if (e instanceof MonitorEvent.RecoverySucceeded r) {
            return at + " RECOVERED " + r.server() + " by " + r.action().code() + " (attempt " + r.attempt() + ", "
                    + Durations.format(r.resolution()) + " after the failure)";
        }
        if (e instanceof MonitorEvent.RecoveryFailed r) {
            return at + " RECOVERY FAILED " + r.server() + " " + r.action().code() + " attempt " + r.attempt() + " ("
                    + r.failure().type().code() + ": " + r.failure().message() + "); next at " + r.nextAttemptAt();
        }
        if (e instanceof MonitorEvent.RecoveryExhausted r) {
            return at + " RECOVERY EXHAUSTED " + r.server() + " after " + r.attempts() + " attempts; next retry at "
                    + r.nextRetryAt();
        }
        if (e instanceof MonitorEvent.FailedOver f) {
            return at + " FAILOVER " + f.serverType() + " " + f.from() + " -> " + f.to() + " (" + f.reason() + ")";
        }
        if (e instanceof AnomalyRaised a) {
            return at + " ANOMALY " + a.serverType() + a.tool().map(t -> " tool " + t).orElse("") + " "
                    + a.figure().code() + " " + round(a.observed()) + (a.high() ? " above" : " below") + " its usual "
                    + round(a.band().low()) + ".." + round(a.band().high()) + " (over " + a.minutes() + " min)";
        }
        if (e instanceof AnomalyResolved a) {
            return at + " ANOMALY OVER " + a.serverType() + a.tool().map(t -> " tool " + t).orElse("") + " "
                    + a.figure().code() + " back in its band (raised " + a.raisedAt() + ")";
        }
        if (e instanceof ChangeJudged c) {
            return at + " CHANGE " + c.outcome().code().toUpperCase(java.util.Locale.ROOT) + " " + c.server() + " "
                    + c.setting() + " " + c.was() + " -> " + c.now() + " ("
                    + (c.verdict() == dev.mcphealth.domain.model.TrialVerdict.WORSE ? "" : c.verdict().code() + ": ")
                    + String.join("; ", c.evidence()) + ")";
        }
        if (e instanceof dev.mcphealth.domain.model.StandbyChanged s) {
            return at + " STANDBY " + s.phase().code().toUpperCase(java.util.Locale.ROOT) + " " + s.server()
                    + " of " + s.serverType() + " (" + s.reason() + ")";
        }
        throw new IllegalStateException("unknown event " + e);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private Optional<Duration> parseInterval() {
        return CliArgs.interval(spec, interval);
    }

    private Optional<Duration> parseDuration() {
        return CliArgs.duration(spec, "--duration", duration);
    }

    private CheckDepth parseDepth() {
        return CliArgs.parse(spec, "--depth", () -> CheckDepth.fromCode(depth));
    }
}
