package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What {@link ProbePort} alone promises, held against every probe double and the real adapter alike: a report of the
 * server probed, timed by the clock when the probe began; an answering server answers, with its tools listed only by a
 * comprehensive probe and its handshake given; a server that cannot be reached is a connection error with a message,
 * never an exception, and leaves no session. A subclass gives the probe, its clock, a server that answers (with at
 * least one tool) and one that cannot be reached.
 */
public abstract class ProbeContract {

    protected abstract ProbePort probe();

    /** The clock the probe reads. */
    protected abstract Clock clock();

    /** A server that is up, with at least one tool. */
    protected abstract MonitoredServer answeringServer();

    /** A server whose start or connect fails. */
    protected abstract MonitoredServer unreachableServer();

    @Test
    void aBasicProbeAnswersForTheServerProbedAtTheTimeItBegan() {
        MonitoredServer s = answeringServer();
        Instant before = clock().instant();
        ProbeReport r = probe().probe(s, CheckDepth.BASIC);
        Instant after = clock().instant();

        ProbeOutcome.Answered a = assertInstanceOf(ProbeOutcome.Answered.class, r.outcome(), r::toString);
        assertEquals(s.id(), r.server());
        assertFalse(r.startedAt().isBefore(before) || r.startedAt().isAfter(after), () -> r.startedAt() + " not in " + before + ".." + after);
        assertFalse(a.responseTime().isNegative());
        assertTrue(a.tools().isEmpty(), "a basic probe lists no tools");
        assertTrue(r.handshake().isPresent(), "an answer comes over a session whose handshake is known");
    }

    @Test
    void aComprehensiveProbeAlsoListsTheTools() {
        ProbeReport r = probe().probe(answeringServer(), CheckDepth.COMPREHENSIVE);

        ProbeOutcome.Answered a = assertInstanceOf(ProbeOutcome.Answered.class, r.outcome(), r::toString);
        assertTrue(a.tools().isPresent(), "a comprehensive probe lists the tools");
        assertFalse(a.tools().get().toolHashes().isEmpty(), "the answering server has tools");
    }

    @Test
    void aServerThatCannotBeReachedIsAConnectionErrorWithAMessageAndNoSession() {
        MonitoredServer s = unreachableServer();
        ProbeReport r = probe().probe(s, CheckDepth.BASIC);

        ProbeOutcome.Failed f = assertInstanceOf(ProbeOutcome.Failed.class, r.outcome(), r::toString);
        assertEquals(FailureType.CONNECTION_ERROR, f.type(), f.message());
        assertFalse(f.message().isBlank());
        assertEquals(s.id(), r.server());
        assertFalse(r.sessionOpened(), "nothing was opened");
        assertTrue(r.handshake().isEmpty(), "no handshake was made");
    }
}
