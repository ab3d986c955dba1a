package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.ServerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The orchestrator as a script: while it is {@linkplain #away away} every call is NotDelivered; otherwise each call
 * gets the next scripted reply, or the default ({@link #answering}). Every call made is kept, and apart from it those
 * the orchestrator got ({@link #received}): the ones that must never repeat.
 */
public final class ScriptedOrchestrator implements OrchestratorPort {
    private static final int OPENS_AFTER = 3;

    /** One call made: its request. */
    public record Call(OrchestratorRequest request) {
        public OrchestratorTool tool() {
            return request.tool();
        }
    }

    private final Deque<OrchestratorReply> script = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Call> received = new ArrayList<>();
    /** By default every call is answered {@code {"status": "ok"}}, read as the adapter reads it for its tool. */
    private Function<Call, OrchestratorReply> answering = c -> Answers.ok(c.tool());
    private String away;
    /** Undelivered or unconfirmed replies in a row: as the real adapter's breaker, three open it. */
    private int failingInARow;

    /** The next calls the orchestrator gets have these replies, in order (a NotDelivered one it does not get). */
    public synchronized ScriptedOrchestrator then(OrchestratorReply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** When the script is empty. */
    public synchronized ScriptedOrchestrator answering(Function<Call, OrchestratorReply> reply) {
        this.answering = reply;
        return this;
    }

    public synchronized ScriptedOrchestrator away(String reason) {
        this.away = reason;
        return this;
    }

    public synchronized ScriptedOrchestrator back() {
        this.away = null;
        return this;
    }

    @Override
    public ServerId server() {
        return ServerId.of("orchestrator");
    }

    /**
     * Open after {@value #OPENS_AFTER} undelivered or unconfirmed replies in a row, closed again by a reply that was
     * delivered (as the real adapter's breaker, without its open period: this double has no clock).
     */
    @Override
    public synchronized dev.mcphealth.domain.model.BreakerState breaker() {
        return failingInARow >= OPENS_AFTER ? dev.mcphealth.domain.model.BreakerState.OPEN
                : dev.mcphealth.domain.model.BreakerState.CLOSED;
    }

    @Override
    public synchronized OrchestratorReply call(OrchestratorRequest request) {
        Call c = new Call(java.util.Objects.requireNonNull(request, "request"));
        calls.add(c);
        if (away != null) {
            failingInARow++;
            return new OrchestratorReply.NotDelivered(away);
        }
        OrchestratorReply reply = script.isEmpty() ? answering.apply(c) : script.poll();
        if (reply.delivered()) {
            received.add(c);
        }
        boolean failed = reply instanceof OrchestratorReply.NotDelivered
                || reply instanceof OrchestratorReply.Unconfirmed;
        failingInARow = failed ? failingInARow + 1 : 0;
        return reply;
    }

    /** Every call made, delivered or not. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls the orchestrator got (or may have: unconfirmed), in order. */
    public synchronized List<Call> received() {
        return List.copyOf(received);
    }
}
