package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mcp-health status}: what the running (or last) watch recorded of every server. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Shows the status a running (or the last) 'mcp-health watch' recorded, read from the database.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:all watched servers healthy",
            "1:a server in warning",
            "2:a server critical or offline",
            "3:usage or database error, or nothing recorded yet"})
public final class StatusCommand implements Callable<Integer> {
    /** A running watch publishes at least every 5 s; three times that and more means none is running. */
    static final Duration STALE_AFTER = Duration.ofSeconds(15);

    private final StoreSessions sessions;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOption db;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    public StatusCommand(StoreSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        try (StoreSession session = sessions.open(db.file())) {
            List<StatusSnapshot> all = new java.util.ArrayList<>(session.status().read());
            // the watch's own row last, as the live table shows it
            all.sort(java.util.Comparator.comparing((StatusSnapshot s) -> s.isMonitor()));
            if (all.isEmpty()) {
                spec.commandLine().getErr().println("mcp-health: " + session.database()
                        + ": no status recorded yet; run 'mcp-health watch' first");
                return ExitCodes.UNKNOWN;
            }
            var cluster = session.cluster().read();
            if (json) {
                spec.commandLine().getOut().println(StatusView.json(all, session.database(), cluster));
            } else {
                spec.commandLine().getOut().print(StatusView.table(all, clock.instant()));
                cluster.ifPresent(c -> spec.commandLine().getOut().print(StatusView.cluster(c)));
            }
            spec.commandLine().getOut().flush();
            // MCP Health's own row is shown, but the exit code is about the servers it watches.
            all.stream().filter(s -> s.isMonitor()).findFirst().ifPresent(self -> {
                Duration age = Duration.between(self.updatedAt(), clock.instant());
                if (age.compareTo(STALE_AFTER) > 0) {
                    spec.commandLine().getErr().println("mcp-health: no watch has recorded for "
                            + StatusView.ago(self.updatedAt(), clock.instant())
                            + "; this is what the last one saw");
                }
            });
            HealthStatus worst = HealthStatus.worstOf(all.stream().filter(s -> !s.isMonitor())
                    .map(s -> s.status().orElse(HealthStatus.HEALTHY)).toList());
            return ExitCodes.of(worst);
        }
    }
}
