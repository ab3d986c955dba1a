package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.PostgresServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two {@code mcp-health-server --http} processes on one real PostgreSQL database share six HTTP servers (a real
 * server-everything under six names, lease 4 s), and each shows the whole cluster: its {@code /api/v1/cluster} and
 * the {@code integration_health_dashboards} view cluster list both members and what each holds, its board has every
 * server's status (the other member's as that member stored it, marked held elsewhere), and its dashboard, in a real
 * browser, draws the cluster's table.
 */
class ClusterDashboardIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> SERVERS = List.of("s0", "s1", "s2", "s3", "s4", "s5");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoServersShareTheWorkAndEachShowsTheWholeCluster() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.url(pg.database().database());
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            StringBuilder entries = new StringBuilder();
            for (String s : SERVERS) {
                entries.append(entries.length() == 0 ? "" : ", ").append('"').append(s)
                        .append("\": {\"type\": \"http\", \"url\": \"").append(everything.mcpUrl()).append("\"}");
            }
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {" + entries + "}, \"health\": {\"defaults\":"
                    + " {\"timeoutMs\": 2000, \"retryDelaySeconds\": 1}}}");
            List<String> args = List.of("--config", config.toString(), "--db", url, "--interval", "1", "--http", "0");
            Map<String, String> env = Map.of("MCP_HEALTH_CLUSTER_LEASE", "4");
            try (ServerProcess a = ServerProcess.start(args, env); ServerProcess b = ServerProcess.start(args, env)) {
                String baseA = base(a.url());
                URI mcp = URI.create(b.url());
                String baseB = base(mcp.toString());
                // shared out: both live, every server held once (a member's share may be empty: hashing decides)
                JsonNode cluster = await(baseA + "/api/v1/cluster", c -> {
                    JsonNode x = c.get("cluster");
                    if (x == null || x.isNull() || x.get("liveMembers").intValue() != 2) {
                        return false;
                    }
                    // every server held by the live member rendezvous hashing picks (the division settled: a
                    // member that started first holds everything until it has handed the other's share over)
                    List<String> live = new ArrayList<>();
                    Map<String, String> holder = new java.util.HashMap<>();
                    for (JsonNode m : x.get("members")) {
                        if (m.get("live").booleanValue()) {
                            live.add(m.get("id").stringValue());
                            m.get("holds").forEach(h -> holder.put(h.stringValue(), m.get("id").stringValue()));
                        }
                    }
                    return SERVERS.stream().allMatch(s -> dev.mcphealth.domain.routing.Rendezvous.owner(s, live)
                            .orElseThrow().equals(holder.get(s)));
                }).get("cluster");
                assertEquals(4.0, cluster.get("leaseSeconds").doubleValue());
                Map<Long, Integer> holds = new java.util.HashMap<>();
                for (JsonNode m : cluster.get("members")) {
                    holds.put(m.get("pid").longValue(), m.get("holds").size());
                }
                int ofA = holds.getOrDefault(a.process.pid(), 0);
                int ofB = holds.getOrDefault(b.process.pid(), 0);
                assertEquals(SERVERS.size(), ofA + ofB, cluster.toString());

                // each member's board has every server healthy: its own probed, the other's as stored by it
                for (Map.Entry<String, Integer> member : List.of(Map.entry(baseA, ofB), Map.entry(baseB, ofA))) {
                    await(member.getKey() + "/api/v1/servers", v -> {
                        int healthy = 0;
                        int elsewhere = 0;
                        for (JsonNode s : v.get("servers")) {
                            healthy += "healthy".equals(s.path("status").asString()) ? 1 : 0;
                            elsewhere += "true".equals(s.path("details").path("heldElsewhere").asString()) ? 1 : 0;
                        }
                        return healthy == SERVERS.size() && elsewhere == member.getValue();
                    });
                }

                // the MCP tool shows it too
                HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                        .builder("http://" + mcp.getHost() + ":" + mcp.getPort()).endpoint("/mcp")
                        .jsonMapper(McpJsonDefaults.getMapper()).build();
                try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                        .build()) {
                    client.initialize();
                    Map<String, Object> view = ToolCalls.call(client, HealthDashboardsTool.NAME,
                            Map.of("view", "cluster"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> c = (Map<String, Object>) view.get("cluster");
                    assertEquals(2, ((Number) c.get("liveMembers")).intValue(), view.toString());
                    Map<String, Object> overview = ToolCalls.call(client, HealthDashboardsTool.NAME,
                            Map.of("view", "overview"));
                    assertTrue(overview.containsKey("cluster"), overview.toString());
                    assertEquals(SERVERS.size() + 1, ToolCalls.list(overview, "servers").size(),
                            "every server and the monitor's row: " + overview);
                }

                // and the dashboard draws the cluster's table
                try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"),
                        dir.resolve("chromium.log"))) {
                    // the page of the member holding fewer: the other's rows are there to be marked
                    browser.open((ofA <= ofB ? baseA : baseB) + "/");
                    browser.await("!document.getElementById('cluster-section').hidden"
                            + " && document.querySelectorAll('#cluster tbody tr').length === 2", 30);
                    assertEquals("live,live", browser.eval("[...document.querySelectorAll('#cluster tbody tr')]"
                            + ".map(r => r.children[2].textContent).join(',')"));
                    assertTrue(browser.eval("document.getElementById('cluster-summary').textContent")
                            .startsWith("2 of 2 monitors live, lease 4 s; 6 of 6 leases live"),
                            browser.eval("document.getElementById('cluster-summary').textContent"));
                    browser.await("document.querySelectorAll('tr[data-server]').length === 6", 30);
                    browser.await("[...document.querySelectorAll('tr[data-server]')].some(r =>"
                            + " r.lastElementChild.textContent.endsWith('by another monitor'))", 30);
                    Path shot = Path.of("target", "dashboard-cluster.png").toAbsolutePath();
                    browser.screenshot(shot);
                    assertTrue(Files.size(shot) > 10_000, "a screenshot: " + Files.size(shot) + " bytes");
                }
                assertEquals(0, a.stop(), a.stderrText());
                assertEquals(0, b.stop(), b.stderrText());
            }
        }
    }

    private static String base(String mcpUrl) {
        URI u = URI.create(mcpUrl);
        return "http://127.0.0.1:" + u.getPort();
    }

    /** GETs {@code url} until its JSON passes {@code done} (the members' schedules are their own), at most 60 s. */
    private JsonNode await(String url, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            if (last != null && done.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError(url + " did not come to what was awaited within 60 s: " + last);
    }
}
