package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.ServerType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mcp-health failover}: the failover coordinator, run by hand for one server type. */
@Command(name = "failover", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Runs the failover coordinator by hand for one server type: probes its instances, then restarts (stdio) "
                + "or reconnects (HTTP) them, or moves calls to another instance, and reports where calls go.",
            "It runs in its own process: a restart here checks that the server can be started and initialized; it "
                + "does not touch the processes of a 'watch' running elsewhere."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every action succeeded and an instance can serve",
            "2:an action failed or no instance can serve",
            "3:usage, configuration or database error"})
public final class FailoverCommand implements Callable<Integer> {

    private final WatchSessions sessions;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    DatabaseOption db;

    @Option(names = {"-t", "--server-type"}, required = true, paramLabel = "TYPE", description = "the server type")
    String serverType;

    @Option(names = {"-f", "--failure-type"}, required = true, paramLabel = "TYPE",
            description = "what is wrong: timeout, connection_error, authentication, rate_limit or server_error")
    String failureType;

    @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "auto",
            description = "auto, restart, reconnect, failover or manual; default: ${DEFAULT-VALUE}")
    String strategy;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    public FailoverCommand(WatchSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Integer call() {
        ServerType type = CliArgs.parse(spec, "--server-type", () -> ServerType.of(serverType));
        FailureType failure = CliArgs.parse(spec, "--failure-type", () -> FailureType.fromCode(failureType));
        CoordinateFailoverUseCase.Strategy how = CliArgs.parse(spec, "--strategy", () -> CoordinateFailoverUseCase.Strategy.fromCode(strategy));
        PrintWriter out = spec.commandLine().getOut();
        try (WatchSession session = sessions.open(config.file(), db.file(), Optional.empty(),
                CheckDepth.BASIC, Optional.empty(), e -> { }, false)) {
            session.probeAll();
            CoordinateFailoverUseCase.Report report = session.coordinator()
                    .coordinate(new CoordinateFailoverUseCase.Command(type, failure, how));
            session.stop(Duration.ofSeconds(5));
            if (json) {
                out.println(json(report));
            } else {
                report.steps().forEach(s -> out.println(Printable.escape((s.succeeded() ? "ok     " : "FAILED ")
                        + s.action().code() + " " + s.server().value() + " (" + s.took().toMillis() + " ms): "
                        + s.detail())));
                out.println(Printable.escape(report.summary()));
            }
            out.flush();
            boolean ok = report.servingNow().isPresent()
                    && report.steps().stream().allMatch(CoordinateFailoverUseCase.Step::succeeded);
            return ok ? ExitCodes.OK : ExitCodes.CRITICAL;
        } catch (UnknownServerTypeException e) {
            throw new ParameterException(spec.commandLine(), "--server-type: " + e.getMessage());
        }
    }

    private static String json(CoordinateFailoverUseCase.Report r) {
        ObjectNode o = CliJson.MAPPER.createObjectNode();
        o.put("serverType", r.serverType().value());
        o.put("strategy", r.strategy().code());
        ArrayNode steps = o.putArray("steps");
        r.steps().forEach(s -> {
            ObjectNode step = steps.addObject();
            step.put("server", s.server().value());
            step.put("action", s.action().code());
            step.put("succeeded", s.succeeded());
            step.put("detail", s.detail());
            step.put("tookMs", s.took().toMillis());
        });
        if (r.servingNow().isPresent()) {
            o.put("servingNow", r.servingNow().get().value());
        } else {
            o.putNull("servingNow");
        }
        o.put("summary", r.summary());
        return o.toString();
    }
}
