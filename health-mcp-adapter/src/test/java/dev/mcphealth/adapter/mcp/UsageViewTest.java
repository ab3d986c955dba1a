package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.domain.learning.AnomalyWatch;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** integration_health_dashboards view usage: each learned profile's hour and its open anomalies, as structured data. */
class UsageViewTest {
    private static final HourOfWeek MONDAY_9 = new HourOfWeek(9);

    private static HealthDashboardsTool tool(Optional<ReadUsageProfilesUseCase> usage) {
        return tool(usage, () -> {
            throw new AssertionError("not read by view usage");
        });
    }

    /** The dashboards tool with only {@code usage} and {@code cluster} to read (the others fail the test if asked). */
    static HealthDashboardsTool tool(Optional<ReadUsageProfilesUseCase> usage,
                                     dev.mcphealth.application.port.in.ReadClusterUseCase cluster) {
        return new HealthDashboardsTool(() -> {
            throw new AssertionError("not read by view usage");
        }, q -> {
            throw new AssertionError("not read by view usage");
        }, q -> {
            throw new AssertionError("not read by view usage");
        }, q -> {
            throw new AssertionError("not read by view usage");
        }, Optional.empty(), Optional.empty(), usage, cluster, List.of("search"));
    }

    @Test
    void eachProfileShowsWhatItsHourExpectsAndItsOpenAnomalies() {
        UsageProfile.Expectation rate = new UsageProfile.Expectation(UsageFigure.RATE, MONDAY_9, 20, 8, 36,
                120, 0.67, false);
        AnomalyWatch.Raised surge = new AnomalyWatch.Raised(UsageFigure.RATE,
                Instant.parse("2026-12-07T09:12:00Z"), true, 61.5, 2, 7.2, rate);
        ReadUsageProfilesUseCase usage = new ReadUsageProfilesUseCase() {
            @Override
            public List<ProfileNow> profiles(Set<ServerType> types) {
                assertEquals(Set.of(ServerType.of("search")), types);
                return List.of(new ProfileNow(ServerType.of("search"), "", 8_000, List.of(rate), List.of(surge)),
                        new ProfileNow(ServerType.of("search"), "find", 8_000, List.of(rate), List.of()));
            }

            @Override
            public Map<ServerType, UsageProfile> learnedTypes() {
                return Map.of();
            }
        };

        Reply r = tool(Optional.of(usage)).call(new Args(Map.of("view", "usage", "server_type", "search")));

        assertTrue(r.summary().contains("2 profile(s), 1 anomaly(ies) open; search about 20.0 calls a minute at Mon"
                + " 09:00 (67 % confident)"), r.summary());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> profiles = (List<Map<String, Object>>) r.structured().get("profiles");
        assertEquals(2, profiles.size());
        assertEquals("", profiles.get(0).get("tool"));
        @SuppressWarnings("unchecked")
        Map<String, Object> anomaly = ((List<Map<String, Object>>) profiles.get(0).get("anomalies")).get(0);
        assertEquals(Map.of("figure", "rate", "since", "2026-12-07T09:12:00Z", "direction", "up", "observed", 61.5,
                "minutes", 2, "expected", 20.0, "low", 8.0, "high", 36.0), anomaly);
        @SuppressWarnings("unchecked")
        Map<String, Object> expected = ((List<Map<String, Object>>) profiles.get(1).get("expected")).get(0);
        assertEquals("Mon 09:00", expected.get("hour"));
    }

    @Test
    void withoutGatewayModeItSaysWhereProfilesComeFrom() {
        Reply r = tool(Optional.empty()).call(new Args(Map.of("view", "usage")));
        assertTrue(r.summary().contains("gateway mode"), r.summary());
        assertEquals(List.of(), r.structured().get("profiles"));
    }
}
