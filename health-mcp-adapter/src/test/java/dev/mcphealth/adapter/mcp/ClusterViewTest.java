package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.monitoring.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * integration_health_dashboards view cluster: the members sharing the database, their heartbeats and what each holds,
 * in the shape {@code GET /api/v1/cluster} and {@code status --json} give.
 */
class ClusterViewTest {
    private static final Instant AT = Instant.parse("2026-12-06T12:00:10Z");

    private static ClusterView twoOfThree() {
        ClusterView.Member a = new ClusterView.Member("h1/101/aa", "h1", 101, AT.minusSeconds(600),
                AT.minusSeconds(2), Optional.empty(), true);
        ClusterView.Member b = new ClusterView.Member("h2/202/bb", "h2", 202, AT.minusSeconds(600),
                AT.minusMillis(4_500), Optional.empty(), true);
        ClusterView.Member gone = new ClusterView.Member("h3/303/cc", "h3", 303, AT.minusSeconds(600),
                AT.minusSeconds(40), Optional.empty(), false);
        return new ClusterView(Duration.ofSeconds(15), AT, List.of(a, b, gone), List.of(
                new ClusterView.Holding("search", "h1/101/aa", 7, AT.minusSeconds(60), AT.plusSeconds(13), true),
                new ClusterView.Holding("memory", "h2/202/bb", 9, AT.minusSeconds(30), AT.plusSeconds(12), true),
                new ClusterView.Holding("files", "h1/101/aa", 11, AT.minusSeconds(30), AT.plusSeconds(14), true),
                new ClusterView.Holding("old", "h3/303/cc", 3, AT.minusSeconds(90), AT.minusSeconds(25), false)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClusterViewListsEachMemberItsHeartbeatAndWhatItHolds() {
        Reply r = UsageViewTest.tool(Optional.empty(), () -> Optional.of(twoOfThree()))
                .call(new Args(Map.of("view", "cluster")));

        assertEquals("Cluster: 2 of 3 monitor(s) live (lease 15s); h1/101/aa holds files, search; h2/202/bb holds"
                + " memory.", r.summary());
        Map<String, Object> cluster = (Map<String, Object>) r.structured().get("cluster");
        assertEquals(15.0, cluster.get("leaseSeconds"));
        assertEquals(2, cluster.get("liveMembers"));
        List<Map<String, Object>> members = (List<Map<String, Object>>) cluster.get("members");
        assertEquals(3, members.size());
        assertEquals(Map.of("id", "h2/202/bb", "host", "h2", "pid", 202L, "live", true, "startedAt",
                "2026-12-06T11:50:10Z", "heartbeatAt", "2026-12-06T12:00:05.500Z", "heartbeatSecondsAgo", 4.5,
                "holds", List.of("memory")), members.get(1));
        assertEquals(List.of(), members.get(2).get("holds"), "a lapsed lease is held by no one");
        assertFalse((Boolean) members.get(2).get("live"));
        List<Map<String, Object>> leases = (List<Map<String, Object>>) cluster.get("leases");
        assertEquals(4, leases.size());
        assertEquals(Map.of("server", "old", "owner", "h3/303/cc", "token", 3L, "live", false, "acquiredAt",
                "2026-12-06T11:58:40Z", "expiresAt", "2026-12-06T11:59:45Z"), leases.get(3));
    }

    @Test
    void withoutAClusterItSaysHowOneIsMade() {
        Reply r = UsageViewTest.tool(Optional.empty(), Optional::empty).call(new Args(Map.of("view", "cluster")));
        assertTrue(r.summary().startsWith("No cluster: this monitor does not share its database"), r.summary());
        assertTrue(r.summary().contains("PostgreSQL"), r.summary());
        assertNull(r.structured().get("cluster"));
    }

    @Test
    void theOverviewGoesOnWithoutTheClusterWhenTheDatabaseIsAway() {
        HealthDashboardsTool tool = new HealthDashboardsTool(List::of, q -> {
            throw new AssertionError("not read by the overview");
        }, q -> {
            throw new AssertionError("not read by the overview");
        }, q -> {
            throw new AssertionError("not read by the overview");
        }, Optional.empty(), Optional.empty(), Optional.empty(), () -> {
            throw new dev.mcphealth.application.port.out.StorageUnavailableException("cannot read the cluster from"
                    + " postgresql://mcp@db/health: Connection refused", null);
        }, List.of("search"));
        Reply r = tool.call(new Args(Map.of("view", "overview")));
        assertFalse(r.error());
        assertEquals("the database cannot be read now; the server's log says why",
                r.structured().get("clusterNotRead"), "which database, and why, stay in the server's log");
        assertNull(r.structured().get("cluster"));
    }
}
