package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.UsageProfileStorePort.StoredProfile;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.UsageProfile.Cell;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageBand;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** usage_profiles and their cells (V12), usage_anomalies (V13) on a real SQLite and PostgreSQL file: saved, read back, replaced. */
abstract class UsageProfileStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    /** The database under test: a fresh one for each test. */
    protected abstract Database db();

    @Test
    void aLearnedProfileIsReadBackExactlyAndASaveReplacesItWhole() {
        JdbcUsageProfileStore store = new JdbcUsageProfileStore(db());
        UsageProfile learned = new UsageProfile();
        for (int i = 0; i < 90; i++) {
            learned.observe(T0.plusSeconds(60L * i), java.time.ZoneOffset.UTC, new UsageProfile.Minute(12 + i % 5,
                    i % 7 == 0 ? 1 : 0, OptionalDouble.of(40 + i % 3), OptionalDouble.of(90)));
        }
        StoredProfile tool = new StoredProfile(ServerType.of("search"), "find", T0.plusSeconds(60 * 89),
                learned.cells());
        StoredProfile type = new StoredProfile(ServerType.of("search"), "", T0, List.of(new Cell(192, UsageFigure.RATE, 1,
                3.5, 0)));
        store.saveProfiles(List.of(tool, type));

        assertEquals(List.of(type, tool), store.loadProfiles(), "ordered by type and tool; every double exact");
        org.junit.jupiter.api.Assertions.assertTrue(tool.cells().stream().anyMatch(c -> c.figure() == UsageFigure.ERRORS
                && c.dispersion() > 0), "the errors' dispersion (V16) is among what round-trips");

        StoredProfile replaced = new StoredProfile(ServerType.of("search"), "find", T0.plusSeconds(6000),
                List.of(new Cell(3, UsageFigure.P95, 2, 4.5, 0.25)));
        store.saveProfiles(List.of(replaced));
        assertEquals(List.of(type, replaced), store.loadProfiles(), "the old cells are gone");
        assertEquals(List.of(), new JdbcUsageProfileStore(db()).loadProfiles().stream()
                .filter(p -> p.tool().equals("other")).toList());
    }

    @Test
    void aTypesDemandTrendIsKeptWithItsProfileExactlyAndASaveWithoutOneClearsIt() {
        JdbcUsageProfileStore store = new JdbcUsageProfileStore(db());
        dev.mcphealth.domain.prediction.DiscountedLine line = dev.mcphealth.domain.prediction.DiscountedLine.empty(
                dev.mcphealth.domain.learning.DemandTrend.WINDOW_SECONDS);
        for (int d = 0; d < 21; d++) {
            line = line.add(Instant.ofEpochSecond((20_770L + d) * 86_400), 3.1 + 0.01 * d + (d % 3) * 0.02);
        }
        dev.mcphealth.domain.learning.DemandTrend.State trend = new dev.mcphealth.domain.learning.DemandTrend.State(
                20_793, 1234.5, 321.25, line, 0.0625, 21, 1);
        StoredProfile type = new StoredProfile(ServerType.of("search"), "", T0, List.of(new Cell(192, UsageFigure.RATE,
                1, 3.5, 0)), java.util.Optional.of(trend));
        store.saveProfiles(List.of(type));
        assertEquals(List.of(type), store.loadProfiles(), "every number of the trend (V17) exact");

        StoredProfile none = new StoredProfile(ServerType.of("search"), "", T0.plusSeconds(60), type.cells());
        store.saveProfiles(List.of(none));
        assertEquals(java.util.Optional.empty(), store.loadProfiles().get(0).trend());

        // a trend that has not begun: its days before any are Long.MIN_VALUE, which round-trips too
        dev.mcphealth.domain.learning.DemandTrend.State fresh = new dev.mcphealth.domain.learning.DemandTrend()
                .state();
        StoredProfile young = new StoredProfile(ServerType.of("search"), "", T0, type.cells(),
                java.util.Optional.of(fresh));
        store.saveProfiles(List.of(young));
        assertEquals(java.util.Optional.of(fresh), store.loadProfiles().get(0).trend());
    }

    @Test
    void anomaliesAreKeptPerEpisodeResolvedInPlaceAndThoseLeftOpenAreClosedAsNotWatched() {
        JdbcUsageProfileStore store = new JdbcUsageProfileStore(db());
        AnomalyRaised surge = new AnomalyRaised(ServerType.of("search"), Optional.of("find"),
                UsageFigure.RATE, true, 96.5, 1, new UsageBand(20.25, 9.5, 36.125, 0.5), 12.75,
                T0.plusMillis(250));
        AnomalyRaised slow = new AnomalyRaised(ServerType.of("search"), Optional.empty(),
                UsageFigure.P95, true, 900, 5, new UsageBand(200, 150, 300, 0.8), 6.5, T0.plusSeconds(60));
        AnomalyEpisode open = new AnomalyEpisode(surge, Optional.empty(), false);
        store.saveAnomalies(List.of(open, new AnomalyEpisode(slow, Optional.empty(), false)));
        assertEquals(List.of(open, new AnomalyEpisode(slow, Optional.empty(), false)), store.anomalies(T0),
                "read back exactly, oldest first");

        AnomalyEpisode over = new AnomalyEpisode(surge, Optional.of(T0.plusSeconds(420)), true);
        store.saveAnomalies(List.of(over));
        assertEquals(over, store.anomalies(T0).get(0), "the same episode, resolved in place");
        assertEquals(1, store.closeOpenAnomalies(T0.plusSeconds(3600)), "only the one still open");
        assertEquals(new AnomalyEpisode(slow, Optional.of(T0.plusSeconds(3600)), false), store.anomalies(T0).get(1));
        assertEquals(List.of(store.anomalies(T0).get(1)), store.anomalies(T0.plusSeconds(1)), "since is inclusive");
    }

    @Test
    void pruningDeletesTheEpisodesOverBeforeTheRollupsCutOffAndKeepsAnOpenOne() {
        JdbcUsageProfileStore store = new JdbcUsageProfileStore(db());
        AnomalyRaised old = new AnomalyRaised(ServerType.of("search"), Optional.empty(), UsageFigure.RATE, true, 90,
                1, new UsageBand(20, 10, 30, 0.5), 9, T0.minus(java.time.Duration.ofDays(400)));
        AnomalyRaised oldOpen = new AnomalyRaised(ServerType.of("search"), Optional.empty(), UsageFigure.P95, true,
                900, 1, new UsageBand(200, 100, 300, 0.5), 9, T0.minus(java.time.Duration.ofDays(400)));
        AnomalyRaised recent = new AnomalyRaised(ServerType.of("search"), Optional.empty(), UsageFigure.RATE, true, 90,
                1, new UsageBand(20, 10, 30, 0.5), 9, T0.minus(java.time.Duration.ofDays(10)));
        store.saveAnomalies(List.of(new AnomalyEpisode(old, Optional.of(old.at().plusSeconds(300)), true),
                new AnomalyEpisode(oldOpen, Optional.empty(), false),
                new AnomalyEpisode(recent, Optional.of(recent.at().plusSeconds(300)), true)));

        dev.mcphealth.domain.history.RetentionReport r = new JdbcRetention(db()).prune(T0,
                T0.minus(java.time.Duration.ofDays(7)), T0.minus(java.time.Duration.ofDays(365)));

        assertEquals(1, r.anomaliesDeleted());
        assertEquals(List.of(UsageFigure.P95, UsageFigure.RATE), store.anomalies(T0.minus(java.time.Duration.ofDays(
                500))).stream().map(a -> a.raised().figure()).toList(), "the open one and the recent one are kept");
    }

    @Test
    void theSchemaRefusesASlotOrFigureThatIsNotOne() throws Exception {
        Sql.execute(db(), "INSERT INTO usage_profiles (server_type, tool_name, learned_up_to) VALUES"
                + " ('search', 'find', '2026-12-05 10:00:00.000')");
        for (String values : List.of("('search', 'find', 193, 'rate', 1, 0, 0)",
                "('search', 'find', 1, 'p99', 1, 0, 0)", "('search', 'find', 1, 'rate', 0, 0, 0)",
                "('search', 'nothing', 1, 'rate', 1, 0, 0)")) {
            assertThrows(Exception.class, () -> Sql.execute(db(), "INSERT INTO usage_profile_cells"
                    + " (server_type, tool_name, slot, figure, weight, level, spread) VALUES " + values), values);
        }
    }
}
