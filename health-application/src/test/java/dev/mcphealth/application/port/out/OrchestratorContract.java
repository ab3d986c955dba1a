package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link OrchestratorPort} promises, held against its scripted fake and the real adapter alike: the configured
 * server, every outcome a reply (never an exception), nothing delivered while the orchestrator cannot be reached, and
 * a breaker that opens after a run of undelivered calls so that the orchestrator failing never slows monitoring.
 */
public abstract class OrchestratorContract {
    /** How many undelivered calls in a row open the breaker, at most, in every implementation. */
    protected static final int RUN_THAT_OPENS = 5;

    protected abstract OrchestratorPort port();

    /** The server named in health.orchestrator. */
    protected abstract ServerId configured();

    /** The orchestrator answers calls from now on. */
    protected abstract void answering();

    /** The orchestrator cannot be reached from now on (no session can be opened). */
    protected abstract void unreachable();

    @Test
    void itIsTheConfiguredServerAndItsBreakerStartsClosed() {
        assertEquals(configured(), port().server());
        assertEquals(BreakerState.CLOSED, port().breaker());
    }

    @Test
    void anAnsweringOrchestratorAnswersAndItsBreakerStaysClosed() {
        answering();
        OrchestratorReply reply = port().call(new OrchestratorRequest.GetStatus(true));
        assertInstanceOf(OrchestratorReply.Answered.class, reply, reply::toString);
        assertEquals(BreakerState.CLOSED, port().breaker());
    }

    @Test
    void anAnswerIsReadAsTheAnswerOfTheToolCalled() {
        answering();
        OrchestratorReply status = port().call(new OrchestratorRequest.GetStatus(false));
        OrchestratorReply planned = port().call(new OrchestratorRequest.PlanTask("Check the fleet",
                "Probe every server", Optional.empty(), "moderate", "devops"));
        assertInstanceOf(dev.mcphealth.domain.orchestrator.OrchestratorAnswer.StatusReport.class,
                assertInstanceOf(OrchestratorReply.Answered.class, status, status::toString).answer());
        assertInstanceOf(dev.mcphealth.domain.orchestrator.OrchestratorAnswer.Planned.class,
                assertInstanceOf(OrchestratorReply.Answered.class, planned, planned::toString).answer());
    }

    @Test
    void anUnreachableOrchestratorIsAReplyNeverAnExceptionAndNothingIsDelivered() {
        unreachable();
        for (int i = 0; i < RUN_THAT_OPENS; i++) {
            OrchestratorReply reply = port().call(new OrchestratorRequest.PlanTask("t" + i, "", Optional.empty(),
                    "simple", "devops"));
            assertInstanceOf(OrchestratorReply.NotDelivered.class, reply, reply::toString);
            assertFalse(reply.delivered());
        }
    }

    @Test
    void aRunOfUndeliveredCallsOpensTheBreaker() {
        unreachable();
        for (int i = 0; i < RUN_THAT_OPENS; i++) {
            port().call(new OrchestratorRequest.GetStatus(false));
        }
        assertNotEquals(BreakerState.CLOSED, port().breaker(), "the breaker is open after a run of failures");
    }
}
