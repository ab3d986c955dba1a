package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.domain.model.ServerType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcp-health report}: what the stored usage says of each pool: profile, anomalies, capacity, plan. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Shows what the monitor learned of each pool's usage (calls through the gateway and the "
            + "library): what its profile expects of the hour under way, its anomalies of the last 7 days, the "
            + "capacity of an instance estimated from its minutes of calls, and the instances each hour of the week "
            + "needs to stay under the target utilization (or what is missing to say so). Reads the database only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report shown (a pool with too little data is also an answer)",
            "3:usage or database error"})
public final class UsageCommand implements Callable<Integer> {
    private final StoreSessions sessions;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--server-type"}, paramLabel = "TYPE",
            description = "only this pool (repeatable); default: every pool with a profile or calls")
    List<String> types = List.of();

    @Option(names = "--target", paramLabel = "SHARE", defaultValue = "0.7",
            description = "the utilization to plan under, above 0 and at most 1; default: ${DEFAULT-VALUE}")
    double target;

    @Mixin
    DatabaseOption db;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    public UsageCommand(StoreSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Integer call() {
        Set<ServerType> wanted = new LinkedHashSet<>();
        for (String t : types) {
            wanted.add(CliArgs.parse(spec, "--server-type", () -> ServerType.of(t)));
        }
        if (!(target > 0 && target <= 1)) {
            throw new ParameterException(spec.commandLine(), "--target must be above 0 and at most 1 (0.7 is 70 %),"
                    + " got " + target);
        }
        try (StoreSession session = sessions.open(db.file())) {
            ReportUsageUseCase.UsageReport report = session.usage().report(new ReportUsageUseCase.Query(wanted,
                    target));
            if (json) {
                spec.commandLine().getOut().println(UsageView.json(report, target));
            } else {
                spec.commandLine().getOut().print(UsageView.text(report, wanted));
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
