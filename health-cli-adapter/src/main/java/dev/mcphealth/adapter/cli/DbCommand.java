package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.domain.history.RetentionReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcp-health db}: database maintenance. */
@Command(name = "db", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Database maintenance.", subcommands = {DbCommand.Prune.class})
public final class DbCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return ExitCodes.usageWithoutSubcommand(spec);
    }

    /** {@code mcp-health db prune}: roll complete hours up and delete what is past its retention. */
    @Command(name = "prune", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Rolls raw metric rows up into hourly p50/p95/p99, then deletes raw rows older than "
                + "--raw-days and roll-ups older than --rollup-days. The orchestrator's history goes with the raw "
                + "rows: outbox entries settled, and integration log rows validated, more than --raw-days ago "
                + "(outbox entries still waiting are never deleted). A running watch does this every hour."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:pruned", "3:usage or database error"})
    public static final class Prune implements Callable<Integer> {
        private final StoreSessions sessions;

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOption db;

        @Option(names = "--raw-days", paramLabel = "DAYS", defaultValue = "7",
                description = "keep raw rows, settled orchestrator outbox entries and orchestrator integration"
                        + " log rows this many days; default: ${DEFAULT-VALUE}")
        int rawDays;

        @Option(names = "--rollup-days", paramLabel = "DAYS", defaultValue = "365",
                description = "keep hourly roll-ups this many days; default: ${DEFAULT-VALUE}")
        int rollupDays;

        @Option(names = "--json", description = "print one JSON object instead of a sentence")
        boolean json;

        public Prune(StoreSessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Integer call() {
            PruneHistoryUseCase.Command command;
            try {
                command = new PruneHistoryUseCase.Command(Duration.ofDays(rawDays), Duration.ofDays(rollupDays));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--raw-days " + rawDays + " --rollup-days "
                        + rollupDays + ": " + e.getMessage().replace("PT", "").toLowerCase(java.util.Locale.ROOT));
            }
            if (rawDays < 1) {
                throw new ParameterException(spec.commandLine(), "--raw-days must be at least 1, got " + rawDays);
            }
            try (StoreSession session = sessions.open(db.file())) {
                RetentionReport r = session.prune().prune(command);
                if (json) {
                    spec.commandLine().getOut().println("{\"database\":" + quote(session.database())
                            + ",\"hoursRolledUp\":" + r.hoursRolledUp() + ",\"rawRowsDeleted\":" + r.rawRowsDeleted()
                            + ",\"rollupRowsDeleted\":" + r.rollupRowsDeleted()
                            + ",\"outboxEntriesDeleted\":" + r.outboxEntriesDeleted()
                            + ",\"integrationRowsDeleted\":" + r.integrationRowsDeleted()
                            + ",\"toolUsageRowsDeleted\":" + r.toolUsageRowsDeleted()
                            + ",\"anomaliesDeleted\":" + r.anomaliesDeleted() + "}");
                } else {
                    spec.commandLine().getOut().println(session.database() + ": rolled up " + r.hoursRolledUp()
                            + " hours; deleted " + r.rawRowsDeleted() + " raw rows, " + r.outboxEntriesDeleted()
                            + " settled orchestrator outbox entries, " + r.integrationRowsDeleted()
                            + " orchestrator integration rows and " + r.toolUsageRowsDeleted()
                            + " tool usage rows older than " + rawDays + " days, and "
                            + r.rollupRowsDeleted() + " roll-ups and " + r.anomaliesDeleted()
                            + " usage anomalies older than " + rollupDays + " days");
                }
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
        }

        private static String quote(String s) {
            return CliJson.MAPPER.writeValueAsString(s);
        }
    }
}
