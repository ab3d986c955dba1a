package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.ProbeProfileStorePort.StoredProbeProfile;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** probe_profiles and their cells (V14) on a real SQLite and PostgreSQL file: saved whole, read back exactly, replaced. */
abstract class ProbeProfileStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    /** The database under test: a fresh one for each test. */
    protected abstract Database db();

    @Test
    void aLearnedProbeProfileIsReadBackExactlyAndASaveReplacesItWhole() {
        JdbcProbeProfileStore store = new JdbcProbeProfileStore(db());
        UsageProfile learned = new UsageProfile();
        for (int i = 0; i < 75; i++) {
            learned.observe(T0.plusSeconds(60L * i), ZoneOffset.UTC, new UsageProfile.Minute(60, 0,
                    OptionalDouble.of(40 + i % 7), OptionalDouble.of(90 + i % 3)));
        }
        StoredProbeProfile mem = new StoredProbeProfile(ServerId.of("memory server"), T0.plusSeconds(60 * 74),
                learned.cells());
        StoredProbeProfile other = new StoredProbeProfile(ServerId.of("a"), T0, List.of(new UsageProfile.Cell(192,
                UsageFigure.P50, 1, 3.5, 0)));
        store.save(List.of(mem, other));

        assertEquals(List.of(other, mem), store.load(), "by name; every double exact");

        StoredProbeProfile replaced = new StoredProbeProfile(ServerId.of("memory server"), T0.plusSeconds(6000),
                List.of(new UsageProfile.Cell(3, UsageFigure.P95, 2, 4.5, 0.25)));
        store.save(List.of(replaced));
        assertEquals(List.of(other, replaced), store.load(), "the old cells are gone");
    }

    @Test
    void theSchemaRefusesASlotOutOfRangeAndCellsOfNoProfile() throws Exception {
        Sql.execute(db(), "INSERT INTO probe_profiles (server_name, learned_up_to) VALUES"
                + " ('a', '2026-12-05 10:00:00.000')");
        for (String values : List.of("('a', 193, 'p50', 1, 0, 0)", "('a', 1, 'p99', 1, 0, 0)",
                "('nobody', 1, 'p50', 1, 0, 0)")) {
            assertThrows(Exception.class, () -> Sql.execute(db(), "INSERT INTO probe_profile_cells"
                    + " (server_name, slot, figure, weight, level, spread) VALUES " + values), values);
        }
    }
}
