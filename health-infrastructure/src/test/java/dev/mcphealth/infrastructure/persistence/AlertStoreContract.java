package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AlertStorePort} does: an alert saved again replaces the stored one. Times are whole milliseconds.
 */
abstract class AlertStoreContract {
    static final ServerId A = ServerId.of("server-a");
    static final ServerId B = ServerId.of("server-b");
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.125Z");

    protected abstract AlertStorePort store();

    /** The stored alerts of {@code server}, oldest raised first. */
    protected abstract List<Alert> stored(ServerId server);

    @Test
    void raisingEscalatingAndResolvingAnAlertKeepsOneAlert() {
        Alert raised = Alert.raise(A, AlertSeverity.WARNING, "slow: p95 800 ms", T0);
        store().save(List.of(raised));
        Alert escalated = raised.escalatedTo(AlertSeverity.CRITICAL, "no answer within 10 s");
        store().save(List.of(escalated));
        Alert resolved = escalated.resolvedAt(T0.plusSeconds(90));
        store().save(List.of(resolved));

        assertEquals(List.of(resolved), stored(A));
    }

    @Test
    void oneBatchMayCarryAnAlertTwiceAndTheLastWins() {
        Alert raised = Alert.raise(A, AlertSeverity.CRITICAL, "offline", T0);
        store().save(List.of(raised, raised.resolvedAt(T0.plusMillis(1))));

        assertEquals(List.of(raised.resolvedAt(T0.plusMillis(1))), stored(A));
    }

    @Test
    void episodesAndServersAreKeptApart() {
        Alert first = Alert.raise(A, AlertSeverity.WARNING, "slow", T0).resolvedAt(T0.plusSeconds(60));
        Alert second = Alert.raise(A, AlertSeverity.CRITICAL, "offline", T0.plusSeconds(120));
        Alert other = Alert.raise(B, AlertSeverity.WARNING, "rate limited", T0.plusSeconds(5));
        store().save(List.of(second, other, first));

        assertEquals(List.of(first, second), stored(A));
        assertEquals(List.of(other), stored(B));
    }

    @Test
    void savingNothingStoresNothing() {
        store().save(List.of());

        assertEquals(List.of(), stored(A));
    }
}
