package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StatusStorePort} does, read back as {@code HealthHistoryPort.statuses()} reads it: one snapshot per
 * server, the last saved, every field as it was saved, in name order.
 */
abstract class StatusStoreContract {
    static final Instant T0 = Instant.parse("2026-11-23T10:16:00.500Z");

    protected abstract StatusStorePort store();

    /** The stored snapshots, as HealthHistoryPort.statuses() returns them. */
    protected abstract List<StatusSnapshot> statuses();

    @Test
    void everyFieldComesBackAsSaved() {
        StatusSnapshot full = Snapshots.full("everything-1", T0);
        StatusSnapshot empty = Snapshots.empty("memory-1", T0);
        store().save(List.of(full, empty));

        assertEquals(List.of(full, empty), statuses());
    }

    @Test
    void theLastSnapshotOfAServerReplacesTheOlder() {
        store().save(List.of(Snapshots.empty("everything-1", T0)));
        StatusSnapshot newer = Snapshots.full("everything-1", T0.plusSeconds(10));
        store().save(List.of(newer));

        assertEquals(List.of(newer), statuses());
    }

    @Test
    void snapshotsComeInNameOrder() {
        store().save(List.of(Snapshots.empty("zeta", T0), Snapshots.empty("Alpha", T0), Snapshots.empty("beta", T0)));
        store().save(List.of(Snapshots.empty("alpha", T0)));

        assertEquals(List.of("Alpha", "alpha", "beta", "zeta"),
                statuses().stream().map(s -> s.server().value()).collect(Collectors.toList()));
    }

    @Test
    void nothingSavedIsNoStatus() {
        store().save(List.of());

        assertEquals(List.of(), statuses());
    }
}
