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
 * The dashboard in a real browser: Debian's headless Chromium loads the overview of a monitor watching real
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

    /** Debian's chromium (scripts/install-test-servers.sh installs it). */
    private static Path chromium() {
        Path p = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/install-test-servers.sh (or apt-get install"
                    + " chromium) for the browser tests");
        }
        return p;
    }

    /**
     * A headless Chromium driven over the DevTools protocol (a WebSocket of the JDK's HttpClient): the page stays open,
     * as a user's does, and the test reads it with Runtime.evaluate.
     */
    private static final class Browser implements AutoCloseable {
        private final Process process;
        private final java.net.http.WebSocket socket;
        private final java.util.Map<Integer, java.util.concurrent.CompletableFuture<java.util.Map<String, Object>>>
                replies = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
        private final io.modelcontextprotocol.json.McpJsonMapper json = io.modelcontextprotocol.json.McpJsonDefaults
                .getMapper();

        Browser(Path profile, Path log) throws Exception {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            process = new ProcessBuilder(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--window-size=1280,720", "--remote-debugging-address=127.0.0.1",
                    "--remote-debugging-port=" + port, "about:blank")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String page = null;
            while (page == null && System.nanoTime() < deadline) {
                try {
                    String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/page/[^\"]+)\"").matcher(list);
                    page = m.find() ? m.group(1) : null;
                } catch (java.io.IOException notYet) {
                    // the browser is starting
                }
                if (page == null) {
                    TimeUnit.MILLISECONDS.sleep(200); // a real browser starting, on its own time
                }
            }
            assertTrue(page != null, "chromium's DevTools answered: " + Files.readString(log));
            StringBuilder frame = new StringBuilder();
            socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new java.net.http.WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                      boolean last) {
                    frame.append(data);
                    if (last) {
                        receive(frame.toString());
                        frame.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
        }

        @SuppressWarnings("unchecked")
        private void receive(String text) {
            try {
                java.util.Map<String, Object> m = json.readValue(text, java.util.Map.class);
                Object id = m.get("id");
                if (id instanceof Number n) {
                    java.util.concurrent.CompletableFuture<java.util.Map<String, Object>> f = replies.remove(n.intValue());
                    if (f != null) {
                        f.complete(m);
                    }
                }
            } catch (java.io.IOException e) {
                // not a reply
            }
        }

        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> call(String method, java.util.Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            java.util.concurrent.CompletableFuture<java.util.Map<String, Object>> f =
                    new java.util.concurrent.CompletableFuture<>();
            replies.put(id, f);
            socket.sendText(json.writeValueAsString(java.util.Map.of("id", id, "method", method, "params", params)),
                    true).get(10, TimeUnit.SECONDS);
            java.util.Map<String, Object> reply = f.get(30, TimeUnit.SECONDS);
            assertTrue(!reply.containsKey("error"), method + ": " + reply);
            return (java.util.Map<String, Object>) reply.get("result");
        }

        /** The value of {@code expression} in the page, as text. */
        @SuppressWarnings("unchecked")
        String eval(String expression) throws Exception {
            java.util.Map<String, Object> r = call("Runtime.evaluate", java.util.Map.of("expression", expression,
                    "returnByValue", true));
            return String.valueOf(((java.util.Map<String, Object>) r.get("result")).get("value"));
        }

        /** Waits (at most {@code seconds}) until {@code expression} is "true" in the page. */
        void await(String expression, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!"true".equals(eval(expression)) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100); // the page's own stream, on the server's schedule
            }
            assertEquals("true", eval(expression), expression + "; the page: " + eval(
                    "document.body.innerText"));
        }

        void screenshot(Path file) throws Exception {
            java.util.Map<String, Object> r = call("Page.captureScreenshot", java.util.Map.of("format", "png"));
            Files.write(file, java.util.Base64.getDecoder().decode(String.valueOf(r.get("data"))));
        }

        /** The whole page, below the window's fold too. */
        @SuppressWarnings("unchecked")
        void screenshotPage(Path file) throws Exception {
            java.util.Map<String, Object> size = (java.util.Map<String, Object>) call("Page.getLayoutMetrics",
                    java.util.Map.of()).get("cssContentSize");
            java.util.Map<String, Object> r = call("Page.captureScreenshot", java.util.Map.of("format", "png",
                    "captureBeyondViewport", true, "clip", java.util.Map.of("x", 0, "y", 0, "width",
                            size.get("width"), "height", Math.min(4000, ((Number) size.get("height")).doubleValue()),
                            "scale", 1)));
            Files.write(file, java.util.Base64.getDecoder().decode(String.valueOf(r.get("data"))));
        }

        @Override
        public void close() throws Exception {
            try {
                socket.abort();
            } finally {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

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
            try (Browser browser = new Browser(dir.resolve("profile"), dir.resolve("chromium.log"))) {
                browser.call("Page.navigate", java.util.Map.of("url", base + "/"));
                browser.await("document.querySelectorAll('tr[data-server]').length === 2"
                        + " && document.querySelector('tr[data-server=\\'everything\\'] .status').textContent"
                        + " === 'healthy'", 30);
                browser.await("document.querySelectorAll('tr[data-server] .bars .bar').length === 48", 30);
                assertTrue(browser.eval("document.querySelector('tr[data-server=everything] .bars')"
                        + ".getAttribute('aria-label')").endsWith("of probes answered over 24h; 0 of 24 stretches with"
                        + " a failed probe"), "the uptime bars' text");
                assertEquals("2 servers, 0 critical or offline", browser.eval(
                        "document.getElementById('summary').textContent"));
                assertTrue(browser.eval("document.getElementById('live').textContent").startsWith("live, updated"));
                // the filter, as a user types in it
                browser.eval("const f = document.getElementById('filter'); f.value = 'kv';"
                        + " f.dispatchEvent(new Event('input')); ''");
                assertEquals("memory", browser.eval("[...document.querySelectorAll('tr[data-server]')]"
                        + ".map(r => r.dataset.server).join(',')"));
                browser.eval("const g = document.getElementById('filter'); g.value = '';"
                        + " g.dispatchEvent(new Event('input')); ''");
                // the columns sort from the keyboard: each header is a button
                assertEquals("BUTTON", browser.eval("document.querySelector('button[data-sort=server]').focus();"
                        + " document.activeElement.tagName"));
                Path shot = Path.of("target", "dashboard-overview.png").toAbsolutePath();
                browser.screenshot(shot);
                assertTrue(Files.size(shot) > 10_000, "a screenshot of the overview: " + Files.size(shot) + " bytes");

                // memory killed: the open page turns its row offline within 2 s without a reload (pushed with the
                // status change's event), and recovery turns it back; what the row showed and when is recorded in
                // the page (the outage may last under a second: recovery restarts memory at once)
                browser.eval("window.seen = []; new MutationObserver(() => document.querySelectorAll("
                        + "'tr[data-server=memory] .status').forEach(c => { const l = window.seen[window.seen.length"
                        + " - 1]; if (!l || l[0] !== c.textContent) { window.seen.push([c.textContent,"
                        + " performance.now()]); } })).observe(document.querySelector('#servers tbody'),"
                        + " {childList: true, subtree: true}); ''");
                ProcessHandle memory = ProcessHandle.current().descendants().filter(h -> h.info().commandLine()
                        .orElse("").contains("server-memory")).findFirst().orElseThrow();
                String memoryStatus = "document.querySelector('tr[data-server=\\'memory\\'] .status').textContent";
                browser.eval("window.killedAt = performance.now(); ''");
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
                // and /metrics counted the recovery and its time
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("mcphealth_recoveries_total{action=\"restart\",server=\"memory\","
                        + "server_type=\"kv\"} 1.0") && metrics.contains("mcphealth_time_to_recovery_seconds_count{"
                        + "server=\"memory\",server_type=\"kv\"} 1"), metrics);

                // the server page, reached from its row: a chart with points, episodes, the timeline of the outage
                browser.eval("document.querySelector('tr[data-server=memory] th a').click(); ''");
                browser.await("location.pathname === '/server' && document.querySelector('#chart canvas') !== null"
                        + " && Number(document.getElementById('chart').dataset.points) > 0", 30);
                browser.await("[...document.querySelectorAll('#timeline li')].some(l => l.textContent"
                        + ".includes('→ offline'))", 10);
                browser.await("document.querySelectorAll('#episodes tbody tr').length >= 1", 10);
                assertTrue(browser.eval("document.getElementById('chart-summary').textContent")
                        .startsWith("p50, p95 and p99 of the probes' times in the last 24h"), "the chart's text");
                // the period from the keyboard: a button, Enter
                browser.eval("document.querySelector('#periods button[data-period=\"1h\"]').focus(); ''");
                for (String type : List.of("keyDown", "keyUp")) {
                    browser.call("Input.dispatchKeyEvent", java.util.Map.of("type", type, "key", "Enter", "code",
                            "Enter", "windowsVirtualKeyCode", 13, "text", "\r"));
                }
                browser.await("document.querySelector('#periods button[data-period=\"1h\"]')"
                        + ".getAttribute('aria-pressed') === 'true' && document.getElementById('chart-summary')"
                        + ".textContent.includes('last 1h')", 10);
                browser.screenshotPage(Path.of("target", "dashboard-server.png").toAbsolutePath());

                // the failures page: memory's episode, and the mean time to recovery of its type
                browser.call("Page.navigate", java.util.Map.of("url", base + "/failures"));
                browser.await("[...document.querySelectorAll('#failures tbody tr')].some(r => r.textContent"
                        + ".includes('memory')) && document.querySelectorAll('#by-type tbody tr').length >= 1", 30);
                browser.screenshotPage(Path.of("target", "dashboard-failures.png").toAbsolutePath());
                // the events page: the outage's status changes
                browser.call("Page.navigate", java.util.Map.of("url", base + "/events"));
                browser.await("[...document.querySelectorAll('#events tbody tr.status_changed')].some(r =>"
                        + " r.textContent.includes('memory') && r.textContent.includes('→ offline'))", 30);
                browser.screenshotPage(Path.of("target", "dashboard-events.png").toAbsolutePath());
            }
        }
    }
}
