package dev.mcphealth.application.recovery;

import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.Recoveries;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase.Readiness;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrepareShutdownServiceTest {
    private static final MonitoredServer S1 = aServer().named("s1").build();
    private static final MonitoredServer S2 = aServer().named("s2").build();

    private final Recoveries recoveries = new Recoveries(new TestClock(START), S1, S2);
    private final AtomicInteger flushes = new AtomicInteger();

    private Readiness prepare(FlushReport flushed) {
        return new PrepareShutdownService(() -> {
            flushes.incrementAndGet();
            return flushed;
        }, recoveries.recovery).prepare();
    }

    private void attemptsHandedOut(MonitoredServer... servers) {
        for (MonitoredServer s : servers) {
            recoveries.recovery.failureSeen(s.id(), FailureType.CONNECTION_ERROR, "exited");
        }
        assertEquals(servers.length, recoveries.recovery.due(servers.length).size());
    }

    @Test
    void readyWhenEverythingIsWrittenAndNothingIsBeingRecovered() {
        FlushReport written = new FlushReport(12, 0, 0, Optional.empty());

        Readiness r = prepare(written);

        assertTrue(r.ready());
        assertEquals(written, r.flush());
        assertEquals(0, r.recoveriesRunning());
        assertEquals(List.of(), r.blockers());
        assertEquals(Optional.empty(), r.nextRecoveryAt());
        assertEquals(1, flushes.get(), "it flushes now");
    }

    @Test
    void readyPausesNothingAndSaysWhenTheNextRecoveryIsDue() {
        recoveries.recovery.failureSeen(S1.id(), FailureType.CONNECTION_ERROR, "exited"); // due now, not handed out

        Readiness r = prepare(new FlushReport(0, 0, 0, Optional.empty()));

        assertTrue(r.ready(), "nothing is running at this moment");
        assertEquals(Optional.of(START), r.nextRecoveryAt());
        assertEquals(List.of(S1.id()), recoveries.recovery.due(2), "and nothing holds the attempt back");
    }

    @Test
    void rowsTheStoreCouldNotTakeBlockWithWhy() {
        Readiness r = prepare(new FlushReport(0, 7, 2, Optional.of("database is locked")));

        assertFalse(r.ready());
        assertEquals(List.of("7 rows still buffered: database is locked"), r.blockers());
    }

    @Test
    void oneRowIsOneRow() {
        assertEquals(List.of("1 row still buffered: disk full"),
                prepare(new FlushReport(0, 1, 0, Optional.of("disk full"))).blockers());
    }

    @Test
    void droppedRowsAreAlreadyLostAndBlockNothing() {
        assertTrue(prepare(new FlushReport(3, 0, 40, Optional.empty())).ready());
    }

    @Test
    void recoveriesRunningBlock() {
        attemptsHandedOut(S1);
        Readiness one = prepare(new FlushReport(0, 0, 0, Optional.empty()));
        assertEquals(1, one.recoveriesRunning());
        assertEquals(List.of("1 recovery attempt is running now: a stop cuts it short"), one.blockers());

        attemptsHandedOut(S2);
        Readiness two = prepare(new FlushReport(0, 3, 0, Optional.of("database is locked")));
        assertEquals(List.of("3 rows still buffered: database is locked",
                "2 recovery attempts are running now: a stop cuts them short"), two.blockers());
        assertFalse(two.ready());

        recoveries.recovery.attempt(S1.id());
        recoveries.recovery.attempt(S2.id());
        assertTrue(prepare(new FlushReport(3, 0, 0, Optional.empty())).ready(), "the attempts ended");
    }
}
