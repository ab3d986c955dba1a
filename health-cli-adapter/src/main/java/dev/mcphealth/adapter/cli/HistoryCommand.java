package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mcp-health history}: one server's recorded metrics, alerts and failures over a period. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Shows one server's recorded history: metrics in minute (or hour) buckets, alerts and failures.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:history shown", "3:usage or database error"})
public final class HistoryCommand implements Callable<Integer> {
    private final StoreSessions sessions;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--server"}, required = true, paramLabel = "NAME", description = "the server's name")
    String server;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "1h",
            description = "how far back (90s, 15m, 1h, 7d); default: ${DEFAULT-VALUE}")
    String since;

    @Mixin
    DatabaseOption db;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    public HistoryCommand(StoreSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Integer call() {
        ServerId id;
        Duration period;
        id = CliArgs.parse(spec, "--server", () -> ServerId.of(server));
        period = CliArgs.parse(spec, "--since", () -> Durations.parse(since));
        try (StoreSession session = sessions.open(db.file())) {
            HistoryReport h = session.history().read(new ReadHistoryUseCase.Query(id, period));
            if (h.buckets().isEmpty() && h.alerts().isEmpty() && h.failures().isEmpty()) {
                unrecorded(id, session);
            }
            if (json) {
                spec.commandLine().getOut().println(StatusView.json(h, session.database()));
            } else {
                spec.commandLine().getOut().print(StatusView.table(h));
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    /**
     * Nothing in the period: fine for a server the database knows (a quiet hour), a mistyped name for one it has never
     * recorded, which is said (exit 3) instead of an empty history.
     */
    private static void unrecorded(ServerId id, StoreSession session) {
        if (!session.recorded().recorded(id)) {
            java.util.List<String> recorded = session.recorded().recorded().stream().map(ServerId::value).toList();
            throw new UsageProblem("no server " + dev.mcphealth.domain.model.Printable.quote(id.value())
                    + " is recorded in " + session.database() + "; recorded: " + (recorded.isEmpty() ? "none"
                    : String.join(", ", recorded.size() > 20 ? recorded.subList(0, 20) : recorded)
                    + (recorded.size() > 20 ? " and " + (recorded.size() - 20) + " more" : "")), null);
        }
    }
}
