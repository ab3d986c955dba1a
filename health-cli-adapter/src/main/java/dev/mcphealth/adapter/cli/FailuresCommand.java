package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.domain.model.Failure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcp-health failures}: the recorded failure episodes of every server, newest first. */
@Command(name = "failures", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Shows the recorded failure episodes of every server, newest first: those begun within "
            + "--since, and those begun earlier that were still open then."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:failures shown (none is also an answer)", "3:usage or database error"})
public final class FailuresCommand implements Callable<Integer> {
    private final StoreSessions sessions;

    @Spec
    CommandSpec spec;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
            description = "how far back (90s, 15m, 1h, 7d); default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "show at most this many, the newest; default: ${DEFAULT-VALUE}")
    int limit;

    @Mixin
    DatabaseOption db;

    @Option(names = "--json", description = "print one JSON array instead of a table")
    boolean json;

    public FailuresCommand(StoreSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Integer call() {
        Duration period;
        period = CliArgs.parse(spec, "--since", () -> Durations.parse(since));
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        ReadFailuresUseCase.Query query = new ReadFailuresUseCase.Query(period, limit);
        try (StoreSession session = sessions.open(db.file())) {
            List<Failure> failures = session.failures().read(query);
            if (json) {
                spec.commandLine().getOut().println(FailuresView.json(failures));
            } else {
                spec.commandLine().getOut().print(FailuresView.table(failures, since, limit));
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
