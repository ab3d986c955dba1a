package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's headless Chromium (driven by Selenium through Debian's ChromeDriver) loads
 * the overview of a monitor watching real
 * server-everything and server-memory, its script opens the event stream and fills the table with both servers and
 * their status, the filter and the keyboard work, a screenshot is written for review
 * ({@code health-mcp-adapter/target/dashboard-overview.png}); then server-memory is killed, the open page turns its
 * row offline within 2 s (no reload), and healthy again after recovery; then memory's own page (a chart with points,
 * its episode, the outage in its timeline, the period chosen from the keyboard), the failures page and the events
 * page, each with a screenshot ({@code target/dashboard-*.png}).
 */
class DashboardBrowserIT {
    @TempDir
    Path dir;

    @Test
    void theOverviewFillsItsTableFromTheStreamInARealBrowser() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--interval", "1", "--http", "0"))) {
            URI mcp = URI.create(server.url());
            String base = "http://127.0.0.1:" + mcp.getPort();
            // both servers probed once, so that the page has their status to show
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String servers = "";
            while (System.nanoTime() < deadline && !(servers.contains("\"server\":\"everything\",\"type\":\"demo\","
                    + "\"status\"") && servers.contains("\"server\":\"memory\",\"type\":\"kv\",\"status\""))) {
                TimeUnit.MILLISECONDS.sleep(200); // the monitor's first probes, on its own schedule
                servers = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/servers")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            // and their first rows stored, so that the uptime bars (read from the database) have them
            String uptime = "";
            String withLatency = "(?s).*\"everything\":\\[.*\\[\\d+,\\d+,[0-9.]+,[0-9.]+\\].*";
            while (System.nanoTime() < deadline && !uptime.matches(withLatency)) {
                TimeUnit.MILLISECONDS.sleep(200); // the monitor's writes, on its own schedule
                uptime = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/uptime")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"), dir.resolve("chromium.log"))) {
                browser.open(base + "/");
                browser.await("document.querySelectorAll('tr[data-server]').length === 2"
                        + " && document.querySelector('tr[data-server=\\'everything\\'] .status').textContent"
                        + " === 'healthy'", 30);
                browser.await("document.querySelectorAll('tr[data-server] .bars .bar').length === 48", 30);
                browser.await("document.querySelector('tr[data-server=everything] svg.spark polyline.p99') !== null",
                        30);
                assertTrue(browser.eval("document.querySelector('tr[data-server=everything] svg.spark')"
                        + ".getAttribute('aria-label')").startsWith("latency over 24h: p50 about "), "the sparkline's"
                        + " text");
                assertTrue(browser.eval("document.querySelector('tr[data-server=everything] .bars')"
                        + ".getAttribute('aria-label')").endsWith("of probes answered over 24h; 0 of 24 stretches with"
                        + " a failed probe"), "the uptime bars' text");
                assertEquals("2 servers, 0 critical or offline", browser.eval(
                        "document.getElementById('summary').textContent"));
                assertTrue(browser.eval("document.getElementById('live').textContent").startsWith("live, updated"));
                // the filter, as a user types in it
                browser.type("#filter", "kv");
                assertEquals("memory", browser.eval("[...document.querySelectorAll('tr[data-server]')]"
                        + ".map(r => r.dataset.server).join(',')"));
                browser.type("#filter", org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                        org.openqa.selenium.Keys.BACK_SPACE.toString());
                browser.await("document.querySelectorAll('tr[data-server]').length === 2", 5);
                // the columns sort from the keyboard: each header is a button; Enter on Server sorts by name
                browser.run("document.querySelector('button[data-sort=server]').focus();");
                assertEquals("BUTTON", browser.eval("document.activeElement.tagName"));
                browser.pressEnter();
                browser.await("document.querySelector('button[data-sort=server]').parentElement"
                        + ".getAttribute('aria-sort') === 'ascending'", 5);
                browser.pressEnter(); // again: by name, descending
                browser.await("document.querySelector('button[data-sort=server]').parentElement"
                        + ".getAttribute('aria-sort') === 'descending' && [...document.querySelectorAll("
                        + "'tr[data-server]')].map(r => r.dataset.server).join(',') === 'memory,everything'", 5);
                Path shot = Path.of("target", "dashboard-overview.png").toAbsolutePath();
                browser.screenshot(shot);
                assertTrue(Files.size(shot) > 10_000, "a screenshot of the overview: " + Files.size(shot) + " bytes");

                // memory killed: the open page turns its row offline within 2 s without a reload (pushed with the
                // status change's event), and recovery turns it back; what the row showed and when is recorded in
                // the page (the outage may last under a second: recovery restarts memory at once)
                browser.run("window.seen = []; new MutationObserver(() => document.querySelectorAll("
                        + "'tr[data-server=memory] .status').forEach(c => { const l = window.seen[window.seen.length"
                        + " - 1]; if (!l || l[0] !== c.textContent) { window.seen.push([c.textContent,"
                        + " performance.now()]); } })).observe(document.querySelector('#servers tbody'),"
                        + " {childList: true, subtree: true}); ''");
                ProcessHandle memory = ProcessHandle.current().descendants().filter(h -> h.info().commandLine()
                        .orElse("").contains("server-memory")).findFirst().orElseThrow();
                String memoryStatus = "document.querySelector('tr[data-server=\\'memory\\'] .status').textContent";
                browser.run("window.killedAt = performance.now();");
                memory.destroyForcibly();
                browser.await("window.seen.some(x => x[0] === 'offline')", 10);
                double seconds = Double.parseDouble(browser.eval("(window.seen.find(x => x[0] === 'offline')[1]"
                        + " - window.killedAt) / 1000"));
                System.out.printf(java.util.Locale.ROOT, "[dashboard] memory killed: its row offline on the open page"
                        + " after %.2f s; statuses shown: %s%n", seconds, browser.eval(
                        "window.seen.map(x => x[0]).join(' -> ')"));
                browser.screenshot(Path.of("target", "dashboard-outage.png").toAbsolutePath());
                assertTrue(seconds <= 2, "shown offline within 2 s of the kill: " + seconds + " s");
                // recovery restarts it: healthy on the same page
                browser.await(memoryStatus + " === 'healthy'", 60);
                assertTrue(browser.eval("document.querySelector('tr[data-server=memory] td.change').textContent")
                        .contains("→ healthy"), "the last change shown");
                // and /metrics counted the recovery and its time (its event reaches the metrics on a thread of its own)
                String metrics = "";
                long counted = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String recovered = "mcphealth_recoveries_total{action=\"restart\",server=\"memory\",server_type=\"kv\"} 1.0";
                String timed = "mcphealth_time_to_recovery_seconds_count{server=\"memory\",server_type=\"kv\"} 1";
                while (System.nanoTime() < counted && !(metrics.contains(recovered) && metrics.contains(timed))) {
                    metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    TimeUnit.MILLISECONDS.sleep(100); // the event's delivery, on its own thread
                }
                assertTrue(metrics.contains("mcphealth_recoveries_total{action=\"restart\",server=\"memory\","
                        + "server_type=\"kv\"} 1.0") && metrics.contains("mcphealth_time_to_recovery_seconds_count{"
                        + "server=\"memory\",server_type=\"kv\"} 1"), metrics);

                // the server page, reached from its row: a chart with points, episodes, the timeline of the outage
                browser.run("document.querySelector('tr[data-server=memory] th a').click();");
                browser.await("location.pathname === '/server' && document.querySelector('#chart canvas') !== null"
                        + " && Number(document.getElementById('chart').dataset.points) > 0", 30);
                browser.await("[...document.querySelectorAll('#timeline li')].some(l => l.textContent"
                        + ".includes('→ offline'))", 10);
                browser.await("document.querySelectorAll('#episodes tbody tr').length >= 1", 10);
                assertTrue(browser.eval("document.getElementById('chart-summary').textContent")
                        .startsWith("p50, p95 and p99 of the probes' times in the last 24h"), "the chart's text");
                // the period from the keyboard: a button, Enter
                browser.run("document.querySelector('#periods button[data-period=\"1h\"]').focus();");
                browser.pressEnter();
                browser.await("document.querySelector('#periods button[data-period=\"1h\"]')"
                        + ".getAttribute('aria-pressed') === 'true' && document.getElementById('chart-summary')"
                        + ".textContent.includes('last 1h')", 10);
                browser.screenshotPage(Path.of("target", "dashboard-server.png").toAbsolutePath());

                // the failures page: memory's episode, and the mean time to recovery of its type
                browser.open(base + "/failures");
                browser.await("[...document.querySelectorAll('#failures tbody tr')].some(r => r.textContent"
                        + ".includes('memory')) && document.querySelectorAll('#by-type tbody tr').length >= 1", 30);
                browser.screenshotPage(Path.of("target", "dashboard-failures.png").toAbsolutePath());
                // the events page: the outage's status changes
                browser.open(base + "/events");
                browser.await("[...document.querySelectorAll('#events tbody tr.status_changed')].some(r =>"
                        + " r.textContent.includes('memory') && r.textContent.includes('→ offline'))", 30);
                browser.screenshotPage(Path.of("target", "dashboard-events.png").toAbsolutePath());
            }
        }
    }
}
