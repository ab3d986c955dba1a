package dev.mcphealth.adapter.mcp;

import dev.mcphealth.testkit.EverythingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How fast the dashboard's overview shows a large fleet: {@code mcp-health-server --http} watching N servers (one
 * real streamable-HTTP server-everything, configured N times over, in N/20 pools, so N real sessions), the overview
 * opened R times afresh in Debian's headless Chromium, each time: its first contentful paint and the moment its table
 * holds all N rows (the first board pushed and drawn), from the navigation's start (the page's own clock; the browser
 * driven by Selenium through Debian's ChromeDriver). Side by side in the same run and
 * browser: the baseline, {@code /api/v1/servers} (the same board as raw JSON, no script) opened the same way.
 *
 * <pre>
 * mvn -B -Pbench -pl health-mcp-adapter -am -DskipTests verify                         # 200 servers, 7 rounds
 * mvn -B -Pbench -pl health-mcp-adapter -am -DskipTests verify -Dbench.options="servers=500 rounds=5"
 * </pre>
 */
public final class DashboardBench {
    private DashboardBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String o : System.getProperty("bench.options", "").trim().split("\\s+")) {
            if (o.contains("=")) {
                options.put(o.substring(0, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
            }
        }
        int servers = Integer.parseInt(options.getOrDefault("servers", "200"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "7"));
        Path dir = Files.createTempDirectory("dashboard-bench");
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            StringBuilder cfg = new StringBuilder("{\"mcpServers\": {");
            StringBuilder health = new StringBuilder("\"health\": {\"defaults\": {\"intervalSeconds\": 5}, \"servers\": {");
            for (int i = 0; i < servers; i++) {
                String name = String.format(Locale.ROOT, "server-%03d", i);
                cfg.append(i == 0 ? "" : ",").append('"').append(name).append("\": {\"type\": \"http\", \"url\": \"")
                        .append(everything.mcpUrl()).append("\"}");
                health.append(i == 0 ? "" : ",").append('"').append(name).append("\": {\"serverType\": \"pool-")
                        .append(i % Math.max(1, servers / 20)).append("\"}");
            }
            Files.writeString(dir.resolve("mcp.json"), cfg + "}, " + health + "}}}");
            try (ServerProcess server = ServerProcess.startAsUsersRun(List.of("--config",
                    dir.resolve("mcp.json").toString(),
                    "--db", dir.resolve("health.db").toString(), "--http", "0"))) {
                String base = "http://127.0.0.1:" + URI.create(server.url()).getPort();
                awaitAllProbed(base, servers);
                try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"), dir.resolve("chromium.log"))) {
                    // a page's own clock, from its navigation's start: when its table first held every row
                    browser.devtools("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                            "new MutationObserver(() => { if (!window.__filled && document.querySelectorAll("
                                    + "'tr[data-server]').length === " + servers + ") { window.__filled ="
                                    + " performance.now(); } }).observe(document, {childList: true, subtree: true});"));
                    List<double[]> page = new ArrayList<>();
                    List<Double> json = new ArrayList<>();
                    for (int r = 0; r < rounds + 1; r++) { // the first round warms the browser and the server
                        double[] p = open(browser, base + "/", "window.__filled !== undefined",
                                "[performance.getEntriesByName('first-contentful-paint')[0].startTime, window.__filled]");
                        double[] j = open(browser, base + "/api/v1/servers", "document.body.innerText.length > 0",
                                "[performance.getEntriesByName('first-contentful-paint')[0].startTime]");
                        if (r > 0) {
                            page.add(p);
                            json.add(j[0]);
                        }
                    }
                    report(servers, rounds, page, json);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Navigates to {@code url}, waits for {@code ready} (at most 30 s), then reads {@code figures} (ms). */
    private static double[] open(HeadlessChromium browser, String url, String ready, String figures) throws Exception {
        browser.open(url);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"true".equals(browser.eval("document.readyState === 'complete' && performance.getEntriesByName("
                + "'first-contentful-paint').length > 0 && (" + ready + ")"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " was not shown within 30 s: " + browser.eval(
                        "document.body.innerText.slice(0, 300)"));
            }
            TimeUnit.MILLISECONDS.sleep(20); // the page's own time; its figures come from its own clock
        }
        String v = browser.eval("JSON.stringify(" + figures + ")");
        String[] parts = v.replaceAll("[\\[\\]]", "").split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    private static void awaitAllProbed(String base, int servers) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/pools")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"unknown\":(\\d+)").matcher(body);
            long unknown = 0;
            while (m.find()) {
                unknown += Long.parseLong(m.group(1));
            }
            if (unknown == 0 && body.contains("\"instances\"")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500); // the monitor's first round over every server, on its own schedule
        }
        throw new IllegalStateException("not every one of " + servers + " servers was probed within 180 s");
    }

    private static void report(int servers, int rounds, List<double[]> page, List<Double> json) {
        double[] paint = page.stream().mapToDouble(p -> p[0]).sorted().toArray();
        double[] filled = page.stream().mapToDouble(p -> p[1]).sorted().toArray();
        double[] raw = json.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "[dashboard-bench] %d servers, %d rounds (a warm-up round before), ms from the"
                + " navigation's start, median / worst%n", servers, rounds);
        System.out.printf(Locale.ROOT, "[dashboard-bench] overview first contentful paint   %7.1f / %7.1f%n",
                median(paint), paint[paint.length - 1]);
        System.out.printf(Locale.ROOT, "[dashboard-bench] overview table with all %d rows %7.1f / %7.1f%n", servers,
                median(filled), filled[filled.length - 1]);
        System.out.printf(Locale.ROOT, "[dashboard-bench] baseline: /api/v1/servers as raw JSON, first paint %7.1f /"
                + " %7.1f%n", median(raw), raw[raw.length - 1]);
        System.out.printf(Locale.ROOT, "[dashboard-bench] ratio, table filled / raw JSON painted (medians): %.2fx%n",
                median(filled) / median(raw));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
