package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What {@link ProbePort}, {@link SessionPort} and {@link ToolCallPort} promise together, held against a fake and the
 * real adapter alike: a kept session per server, opened by a probe or a call that may connect and by nothing else;
 * every failure of a server a value of a type (never an exception); a session that dies reported once. A subclass
 * gives a server that answers (with a tool to call), one that cannot be started or reached, and a way to kill the
 * answering server's process.
 */
public abstract class FleetContract {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    protected abstract ProbePort probes();

    protected abstract SessionPort sessions();

    protected abstract ToolCallPort calls();

    /** A server that is up, with {@link #tool()} among its tools. */
    protected abstract MonitoredServer answering();

    /** A server whose start or connect fails (a command that does not exist, a process that exits at once). */
    protected abstract MonitoredServer unreachable();

    protected abstract String tool();

    protected abstract Map<String, Object> arguments();

    /** The answering server's process dies now (SIGKILL), and stays dead. */
    protected abstract void kill(MonitoredServer server);

    /** Waits (a real adapter hears of a death on its transport's thread) until {@code done} holds, or gives up. */
    protected abstract void awaitUntil(java.util.function.BooleanSupplier done);

    private static ProbeOutcome.Failed failed(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Failed.class, report.outcome(), () -> "a failure: " + report);
    }

    @Test
    void aProbeOfAnAnsweringServerOpensASessionAndTheNextProbeKeepsIt() {
        MonitoredServer s = answering();
        ProbeReport first = probes().probe(s, CheckDepth.BASIC);
        assertInstanceOf(ProbeOutcome.Answered.class, first.outcome(), first::toString);
        assertTrue(first.sessionOpened(), "the first probe opened the session");
        assertTrue(sessions().isOpen(s.id()));
        ProbeReport second = probes().probe(s, CheckDepth.BASIC);
        assertInstanceOf(ProbeOutcome.Answered.class, second.outcome(), second::toString);
        assertFalse(second.sessionOpened(), "the second probe kept it");
    }

    @Test
    void aServerThatCannotBeReachedIsAConnectionErrorAndLeavesNoSession() {
        MonitoredServer s = unreachable();
        ProbeOutcome.Failed f = failed(probes().probe(s, CheckDepth.BASIC));
        assertEquals(FailureType.CONNECTION_ERROR, f.type(), f.message());
        assertFalse(f.message().isBlank());
        assertFalse(sessions().isOpen(s.id()));
    }

    @Test
    void aProbeThatMayNotConnectFailsAtOnceWithoutASessionAndOpensNone() {
        MonitoredServer s = answering();
        ProbeOutcome.Failed f = failed(probes().probeKept(s, CheckDepth.BASIC));
        assertEquals(FailureType.CONNECTION_ERROR, f.type(), f.message());
        assertFalse(sessions().isOpen(s.id()), "probeKept never opens a session");
    }

    @Test
    void aCallThatMayNotConnectFailsUndeliveredWithoutASessionAndOpensNone() {
        MonitoredServer s = answering();
        CallOutcome.Failed f = assertInstanceOf(CallOutcome.Failed.class,
                calls().callTool(s, tool(), arguments(), CALL_TIMEOUT, false));
        assertFalse(f.delivered(), "nothing reached the server");
        assertEquals(FailureType.CONNECTION_ERROR, f.type(), f.message());
        assertFalse(sessions().isOpen(s.id()));
    }

    @Test
    void aCallOverTheKeptSessionIsRepliedAndTheToolsAreListed() {
        MonitoredServer s = answering();
        probes().probe(s, CheckDepth.BASIC);
        CallOutcome replied = calls().callTool(s, tool(), arguments(), CALL_TIMEOUT, false);
        assertInstanceOf(CallOutcome.Replied.class, replied, replied::toString);
        CallOutcome.Listed listed = assertInstanceOf(CallOutcome.Listed.class,
                calls().listTools(s, CALL_TIMEOUT, false));
        assertTrue(listed.tools().stream().anyMatch(t -> t.name().equals(tool())), listed.tools().toString());
    }

    @Test
    void reopenSaysWhyWhenTheServerCannotStartAndOpensAnAnsweringOne() {
        Optional<MonitorEvent.FailureSummary> why = sessions().reopen(unreachable());
        assertTrue(why.isPresent(), "a server that cannot start is not reopened");
        assertEquals(FailureType.CONNECTION_ERROR, why.get().type(), why.get().message());
        assertEquals(Optional.empty(), sessions().reopen(answering()));
        assertTrue(sessions().isOpen(answering().id()));
    }

    @Test
    void aSessionThatDiesIsReportedOnceAndIsNoLongerOpen() {
        List<ServerId> lost = new CopyOnWriteArrayList<>();
        List<FailureType> types = new CopyOnWriteArrayList<>();
        sessions().onSessionLost((server, type, message) -> {
            lost.add(server);
            types.add(type);
        });
        MonitoredServer s = answering();
        probes().probe(s, CheckDepth.BASIC);
        kill(s);
        awaitUntil(() -> !lost.isEmpty() && !sessions().isOpen(s.id()));
        assertEquals(List.of(s.id()), lost, "reported once, for that server");
        assertEquals(List.of(FailureType.CONNECTION_ERROR), types);
        assertFalse(sessions().isOpen(s.id()));
    }

    @Test
    void aSessionClosedOnPurposeIsGoneWithoutALossAndTheNextProbeOpensANewOne() {
        List<ServerId> lost = new CopyOnWriteArrayList<>();
        sessions().onSessionLost((server, type, message) -> lost.add(server));
        MonitoredServer s = answering();
        probes().probe(s, CheckDepth.BASIC);
        assertTrue(sessions().isOpen(s.id()));
        sessions().close(s.id());
        assertFalse(sessions().isOpen(s.id()), "closed at once");
        ProbeReport again = probes().probe(s, CheckDepth.BASIC);
        assertInstanceOf(ProbeOutcome.Answered.class, again.outcome(), again::toString);
        assertTrue(again.sessionOpened(), "the next probe opened a new session");
        sessions().close(answering().id()); // closing twice, or a server never opened, does nothing
        sessions().close(answering().id());
        assertTrue(lost.isEmpty(), "a close on purpose is not a loss: " + lost);
    }
}
