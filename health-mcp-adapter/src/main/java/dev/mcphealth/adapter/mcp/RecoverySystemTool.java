package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.application.port.in.RecoverServerUseCase;
import dev.mcphealth.domain.model.ServerId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code automated_recovery_system}: recovery status, a recovery now, shutdown preparation, restart history. */
final class RecoverySystemTool implements HealthTool {
    static final String NAME = "automated_recovery_system";
    static final List<String> ACTIONS = List.of("status", "recover", "prepare_shutdown", "restart_status");

    private final ReadRecoveryStatusUseCase status;
    private final RecoverServerUseCase recover;
    private final PrepareShutdownUseCase shutdown;
    private final Optional<String> orchestratorServer;
    private final Optional<dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase> orchestratorTest;
    private final InputSchema input;

    RecoverySystemTool(ReadRecoveryStatusUseCase status, RecoverServerUseCase recover, PrepareShutdownUseCase shutdown,
                       Optional<String> orchestratorServer,
                       Optional<dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase> orchestratorTest,
                       List<String> serverNames) {
        this.orchestratorServer = orchestratorServer;
        this.orchestratorTest = orchestratorTest;
        this.status = status;
        this.recover = recover;
        this.shutdown = shutdown;
        this.input = new InputSchema(List.of(
                Arg.oneOf("action", "status: each server's breaker and recovery episode; recover: one restart "
                        + "(stdio) or reconnect (HTTP) of the named server now; prepare_shutdown: write everything "
                        + "buffered and say whether stopping at this moment would lose anything (it pauses nothing); restart_status: the restarts and "
                        + "reconnects made since the monitor started and how they went", ACTIONS).required(),
                Arg.oneOf("server", "the server, by its name in the config (required by recover; narrows status "
                        + "and restart_status)", serverNames)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Automated recovery of MCP servers";
    }

    @Override
    public String description() {
        return "The automatic recovery system: what it is doing for each server, a recovery of one server now, "
                + "preparing the monitor for a safe shutdown, and the history of restarts and reconnects.";
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public InputSchema input() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("action", Schemas.oneOf(ACTIONS, "the action run"));
        p.put("servers", Schemas.arrayOfObjects("status/restart_status: one entry per server"));
        p.put("recovery", Schemas.type("object", "recover: what was done and how it went"));
        p.put("readiness", Schemas.type("object", "prepare_shutdown: whether stopping at this moment loses "
                + "anything, and when the next recovery attempt is due (nothing is paused)"));
        return Schemas.object(p, List.of("action"));
    }

    @Override
    public Reply call(Args args) {
        String action = args.textOr("action", "status");
        Optional<ServerId> server = args.text("server").map(ServerId::of);
        Obj out = Obj.of().put("action", action);
        switch (action) {
            case "recover": {
                ServerId id = server.orElseThrow(() -> new BadArgumentException("server", "is required by action "
                        + "recover"));
                if (orchestratorTest.isPresent() && orchestratorServer.equals(Optional.of(id.value()))) {
                    // the orchestrator is recovered with its own tools first (the design's recovery testing), and its
                    // process is restarted only if they leave it unhealthy
                    dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase.RecoveryTest t =
                            orchestratorTest.get().testRecovery();
                    Obj view = OrchestratorViews.recoveryTest(t).put("server", id.value());
                    String text = id.value() + " (the orchestrator): " + t.steps().stream()
                            .map(st -> st.tool().replace("orchestrator_", "") + " " + st.outcome().code())
                            .collect(Collectors.joining(", ")) + "; now " + OrchestratorViews.line(t.health())
                            + (t.healedByProcessRestart() ? ", healed by a process restart" : "");
                    boolean recovered = t.recovered();
                    if (!recovered && !t.healedByProcessRestart()) {
                        // down, hung or left to a slow retry: a recovery asked for by hand restarts it whatever the
                        // backoff says, as for any other server
                        RecoverServerUseCase.Outcome o = recover.recover(id);
                        view.put("forced", Obj.of().put("action", o.action()).put("ran", o.ran())
                                .put("succeeded", o.succeeded()).put("detail", o.detail()).put("tookMs", o.took()));
                        recovered = o.ran() && o.succeeded();
                        text += "; then " + o.action().code() + (o.ran() ? (o.succeeded() ? " succeeded" : " failed: "
                                + o.detail()) : ": one was already running");
                    }
                    out.put("recovery", view);
                    return new Reply(text + ".", out.map(), !recovered);
                }
                RecoverServerUseCase.Outcome o = recover.recover(id);
                out.put("recovery", Obj.of()
                        .put("server", o.server().value())
                        .put("action", o.action())
                        .put("ran", o.ran())
                        .put("succeeded", o.succeeded())
                        .put("detail", o.detail())
                        .put("tookMs", o.took())
                        .put("events", o.events().stream().map(MonitorEvent::kind).toList()));
                String text = !o.ran() ? id.value() + ": a recovery was already running; nothing was started now."
                        : id.value() + ": " + o.action().code() + (o.succeeded() ? " succeeded" : " failed") + " in "
                                + Obj.human(o.took()) + (o.detail().isBlank() ? "." : " (" + o.detail() + ").");
                return new Reply(text, out.map(), o.ran() && !o.succeeded());
            }
            case "prepare_shutdown": {
                PrepareShutdownUseCase.Readiness r = shutdown.prepare();
                out.put("readiness", Obj.of()
                        .put("ready", r.ready())
                        .put("written", r.flush().written())
                        .put("pending", r.flush().pending())
                        .put("dropped", r.flush().dropped())
                        .put("storageProblem", r.flush().storageProblem())
                        .put("recoveriesRunning", r.recoveriesRunning())
                        .put("nextRecoveryAt", r.nextRecoveryAt())
                        .put("blockers", r.blockers()));
                String next = r.nextRecoveryAt().map(t -> "; the next recovery attempt is due at " + t)
                        .orElse("");
                return Reply.ok(r.ready() ? "Ready to shut down at this moment: " + r.flush().written()
                        + " buffered row(s) written, nothing pending, no recovery attempt running. Nothing was "
                        + "paused: the monitor goes on probing and a recovery attempt can start at any time" + next
                        + ", so stop the monitor now."
                        : "Not ready to shut down: " + String.join("; ", r.blockers()) + next + ".", out.map());
            }
            default: {
                List<ReadRecoveryStatusUseCase.RecoveryState> rows = status.read(server);
                out.put("servers", rows.stream().map(Views::recovery).toList());
                String text = action.equals("restart_status")
                        ? rows.stream().map(r -> r.server().value() + ": " + r.attempts().made() + " "
                                + r.action().code() + "(s), " + r.attempts().succeeded() + " succeeded"
                                + r.attempts().mttr().map(m -> ", MTTR " + Obj.human(m)).orElse(""))
                        .collect(Collectors.joining("; ")) + "."
                        : rows.stream().map(r -> r.server().value() + " " + r.status().map(s -> s.code())
                                .orElse("not probed yet") + ", breaker " + r.breaker().code()
                                + r.episode().filter(e -> !e.up()).map(e -> ", recovering (" + e.attempts()
                                + " attempt(s)" + (e.exhausted() ? ", exhausted" : "") + ")").orElse(""))
                        .collect(Collectors.joining("; ")) + ".";
                return Reply.ok(text, out.map());
            }
        }
    }
}
