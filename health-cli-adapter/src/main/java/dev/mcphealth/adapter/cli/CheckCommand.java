package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.CheckHealthUseCase;
import dev.mcphealth.application.port.in.HealthReport;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.ServerId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcp-health check}: probe the configured servers once, print their health, record it. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Checks the health of MCP servers once, over their real protocol, and records the results.",
            "Reads the mcpServers JSON your MCP client already uses (Claude Desktop, Claude Code, VS Code)."})
public final class CheckCommand implements Callable<Integer> {
    private final CheckSessions sessions;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = {"-s", "--server"}, paramLabel = "NAME",
            description = "check only this server (repeatable); default: all")
    List<String> servers = List.of();

    @Option(names = "--depth", paramLabel = "DEPTH", defaultValue = "basic",
            description = "basic (initialize + one liveness probe) or comprehensive (also tools/list); default: ${DEFAULT-VALUE}")
    String depth;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Mixin
    DatabaseOption db;

    public CheckCommand(CheckSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Integer call() {
        CheckDepth checkDepth = parseDepth();
        Set<ServerId> selected = parseServers();
        try (CheckSession session = sessions.open(config.file(), db.file())) {
            HealthReport report = session.checkHealth().check(new CheckHealthUseCase.Query(selected, checkDepth));
            if (report.servers().isEmpty()) {
                spec.commandLine().getErr().println("mcp-health: " + config.file() + ": no enabled server to check");
                return ExitCodes.UNKNOWN;
            }
            if (json) {
                spec.commandLine().getOut().println(ReportView.json(report, session.database()));
            } else {
                spec.commandLine().getOut().print(ReportView.table(report, session.database()));
            }
            report.storageProblem().ifPresent(p ->
                    spec.commandLine().getErr().println("mcp-health: warning: results not recorded: " + p));
            spec.commandLine().getOut().flush();
            return ExitCodes.of(report.overall());
        }
    }

    private CheckDepth parseDepth() {
        return CliArgs.parse(spec, "--depth", () -> CheckDepth.fromCode(depth));
    }

    private Set<ServerId> parseServers() {
        Set<ServerId> ids = new LinkedHashSet<>();
        for (String s : servers) {
            ids.add(CliArgs.parse(spec, "--server", () -> ServerId.of(s)));
        }
        return ids;
    }
}
