package dev.mcphealth.application.history;

import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadFailuresServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00.250Z");
    private static final MonitoredServer A = aServer().named("server-a").ofType("search").build();

    /** Remembers what it was asked and answers with what it was given. */
    private static final class FakeFailureHistory implements FailureHistoryPort {
        final List<Instant> sinces = new ArrayList<>();
        final List<Integer> limits = new ArrayList<>();
        final List<Failure> answer;

        FakeFailureHistory(List<Failure> answer) {
            this.answer = answer;
        }

        @Override
        public List<Failure> failures(Instant since, Set<ServerType> types, int limit) {
            sinces.add(since);
            limits.add(limit);
            return answer;
        }
    }

    @Test
    void asksForThePeriodBeforeNowAndTheLimitAndReturnsWhatThePortReturns() {
        List<Failure> stored = List.of(
                Failure.open(A, FailureType.TIMEOUT, "monitoring", "no answer", NOW.minusSeconds(60)),
                Failure.open(A, FailureType.SERVER_ERROR, "monitoring", "HTTP 500", NOW.minusSeconds(3600)));
        FakeFailureHistory port = new FakeFailureHistory(stored);
        ReadFailuresService service = new ReadFailuresService(port, new TestClock(NOW));

        List<Failure> read = service.read(new ReadFailuresUseCase.Query(Duration.ofHours(24), 100));

        assertEquals(stored, read);
        assertEquals(List.of(Instant.parse("2026-11-22T10:00:00.250Z")), port.sinces);
        assertEquals(List.of(100), port.limits);
    }

    @Test
    void followsTheClock() {
        FakeFailureHistory port = new FakeFailureHistory(List.of());
        TestClock clock = new TestClock(NOW);
        ReadFailuresService service = new ReadFailuresService(port, clock);
        service.read(new ReadFailuresUseCase.Query(Duration.ofMinutes(15), 1));
        clock.advance(Duration.ofHours(1));
        service.read(new ReadFailuresUseCase.Query(Duration.ofMinutes(15), 1));

        assertEquals(List.of(NOW.minus(Duration.ofMinutes(15)), NOW.plus(Duration.ofMinutes(45))), port.sinces);
    }

    @Test
    void anUnavailableStoreIsPassedOn() {
        ReadFailuresService service = new ReadFailuresService((since, types, limit) -> {
            throw new StorageUnavailableException("cannot read failures from x.db: database is locked", null);
        }, new TestClock(NOW));

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> service.read(new ReadFailuresUseCase.Query(Duration.ofHours(1), 10)));
        assertEquals("cannot read failures from x.db: database is locked", e.getMessage());
    }

    @Test
    void theQueryRefusesAnEmptyPeriodAndALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new ReadFailuresUseCase.Query(Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReadFailuresUseCase.Query(Duration.ofHours(1), 0));
    }
}
