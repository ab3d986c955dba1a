package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcp-health watch --http PORT}: a CLI user's watch serves the dashboard, the read API, the event stream and
 * {@code /metrics} of a real server-everything over HTTP while it runs, behind the same guard as the MCP server's
 * (Host checked, the token when given, a browser's cookie); bad flags are one sentence and exit 3.
 */
class WatchHttpIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A watch running in this JVM until stopped as Ctrl-C stops it; its stderr names the dashboard's address. */
    private static final class Running {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exit;
        volatile Runnable stop;

        Running(String... args) {
            exit = CompletableFuture.supplyAsync(() -> Main.commandLine((stopCallback, finished) -> {
                stop = stopCallback;
                return () -> { };
            }).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args));
        }

        /** The dashboard's address, once the watch printed it. */
        String url() throws Exception {
            Pattern p = Pattern.compile("dashboard (?:of .* )?on (http://127\\.0\\.0\\.1:\\d+/)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Matcher m = p.matcher(err.toString());
                if (m.find()) {
                    return m.group(1);
                }
                if (exit.isDone()) {
                    throw new AssertionError("the watch ended (" + exit.get() + "): " + err);
                }
                TimeUnit.MILLISECONDS.sleep(50); // the watch starting, on its own time
            }
            throw new AssertionError("no dashboard address printed: " + err);
        }

        int stop() throws Exception {
            stop.run();
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path config(EverythingServer server) throws Exception {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "{\"mcpServers\": {\"everything\": {\"type\": \"http\", \"url\": \"" + server.mcpUrl()
                + "\"}}}");
        return file;
    }

    @Test
    void aWatchServesTheDashboardTheApiTheStreamAndTheMetricsWhileItRuns() throws Exception {
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            Running watch = new Running("watch", "--config", config(server).toString(), "--db",
                    dir.resolve("h.db").toString(), "--interval", "1", "--json", "--http", "0");
            String url = watch.url();
            int code;
            try {
                HttpResponse<String> servers = get(url + "api/v1/servers");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                String healthy = "\"server\":\"everything\",\"type\":\"everything\",\"status\":\"healthy\"";
                while (!servers.body().contains(healthy) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200); // the monitor's first probe, on its own schedule
                    servers = get(url + "api/v1/servers");
                }
                assertEquals(200, servers.statusCode());
                assertTrue(servers.body().contains(healthy), servers.body());
                HttpResponse<String> page = get(url);
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("<title>MCP Health</title>"), page.body());
                HttpResponse<String> metrics = get(url + "metrics");
                assertTrue(metrics.body().contains("mcphealth_up{server=\"everything\""), metrics.statusCode() + " "
                        + metrics.headers().map() + " " + metrics.body());
                HttpResponse<String> events = get(url + "api/v1/events");
                assertTrue(events.body().contains("\"event\":\"status_changed\",\"server\":\"everything\""),
                        events.body());
                // the stream: the board at once
                HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(
                        URI.create(url + "api/v1/stream")).GET().build(), HttpResponse.BodyHandlers.ofLines());
                try (java.util.stream.Stream<String> lines = stream.body()) {
                    assertEquals(List.of("retry: 2000", "event: servers"), lines.limit(2).toList());
                }
                // another site's page, or a rebinding name, is refused as by the MCP server
                HttpResponse<String> origin = get(url + "api/v1/servers", "Origin", "http://evil.example");
                assertEquals(403, origin.statusCode());
                assertEquals("{\"error\":\"Origin 'http://evil.example' is not allowed\"}", origin.body());
            } finally {
                code = watch.stop();
            }
            assertEquals(0, code, watch.err.toString());
            assertThrows(java.io.IOException.class, () -> get(url), "the pages stop with the watch");
        }
    }

    @Test
    void withATokenEveryRequestNeedsItAndABrowserGetsItsCookie() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "a-token-of-32-characters-0123456\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            Running watch = new Running("watch", "--config", config(server).toString(), "--db",
                    dir.resolve("h.db").toString(), "--interval", "1", "--json", "--http", "0", "--token-file",
                    token.toString());
            String url = watch.url();
            try {
                HttpResponse<String> none = get(url + "api/v1/servers");
                assertEquals(401, none.statusCode());
                assertEquals("{\"error\":\"a valid bearer token is required\"}", none.body());
                assertEquals(200, get(url + "api/v1/servers", "Authorization",
                        "Bearer a-token-of-32-characters-0123456").statusCode());
                HttpResponse<String> exchange = get(url + "server?name=everything&token=a-token-of-32-characters-0123456");
                assertEquals(200, exchange.statusCode());
                String cookie = exchange.headers().firstValue("Set-Cookie").orElseThrow();
                assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
                assertTrue(exchange.body().contains("url=/server?name=everything\""), "the page's own parameters kept,"
                        + " the token dropped: " + exchange.body());
                assertEquals(200, get(url + "server?name=everything", "Cookie", cookie.substring(0,
                        cookie.indexOf(';'))).statusCode());
            } finally {
                watch.stop();
            }
            assertTrue(!watch.err.toString().contains("a-token-of-32"), "the token is never printed");
        }
    }

    @Test
    void theDashboardOfADatabaseServesWhatTheLastWatchRecordedAndSaysSo() throws Exception {
        String db = dir.resolve("h.db").toString();
        try (EverythingServer server = EverythingServer.streamableHttp()) {
            Done watched = Done.run("watch", "--config", config(server).toString(), "--db", db, "--interval", "1",
                    "--json", "--duration", "3s");
            assertEquals(0, watched.exit(), watched.err());
        }
        Running dashboard = new Running("dashboard", "--db", db, "--http", "0");
        String url = dashboard.url();
        try {
            assertTrue(dashboard.err.toString().contains("(read from the database; no monitor runs here)"),
                    dashboard.err.toString());
            HttpResponse<String> servers = get(url + "api/v1/servers");
            assertEquals(200, servers.statusCode());
            assertTrue(servers.body().startsWith("{\"source\":\"database\",") && servers.body().contains(
                    "\"server\":\"everything\",\"type\":\"everything\",\"status\":\"healthy\""), servers.body());
            assertTrue(servers.body().contains("\"monitor\":{\"server\":\"mcp-health\""), "the monitor's last row,"
                    + " whose updatedAt the pages show: " + servers.body());
            assertEquals(200, get(url + "api/v1/servers/everything?period=1h").statusCode());
            assertEquals("{\"cluster\":null}", get(url + "api/v1/cluster").body(), "no monitors share a SQLite file");
            assertEquals(200, get(url).statusCode());
            assertEquals(404, get(url + "metrics").statusCode(), "no monitor here, no metrics");
            HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(
                    URI.create(url + "api/v1/stream")).GET().build(), HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> lines = stream.body()) {
                assertTrue(lines.limit(3).toList().get(2).startsWith("data: {\"source\":\"database\","));
            }
        } finally {
            assertEquals(0, dashboard.stop());
        }
        Done none = Done.run("dashboard", "--db", db);
        assertEquals(3, none.exit());
        assertTrue(none.err().startsWith("mcp-health: --http PORT is required"), none.err());
        Done missing = Done.run("dashboard", "--db", dir.resolve("nothing.db").toString(), "--http", "0");
        assertEquals(3, missing.exit());
        assertTrue(missing.err().contains("no database at"), missing.err());
    }

    @Test
    void badHttpFlagsAreOneSentenceAndExitThree() throws Exception {
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {\"x\": {\"command\": \"node\"}}}");
        Done orphan = Done.run("watch", "--config", config.toString(), "--token-file", "t");
        assertEquals(3, orphan.exit());
        assertTrue(orphan.err().startsWith("mcp-health: --token-file needs --http PORT"), orphan.err());
        Done port = Done.run("watch", "--config", config.toString(), "--http", "70000");
        assertEquals(3, port.exit());
        assertTrue(port.err().startsWith("mcp-health: --http must be a port 0..65535, got 70000"), port.err());
        Done missing = Done.run("watch", "--config", config.toString(), "--http", "0", "--token-file",
                dir.resolve("nope").toString());
        assertEquals(3, missing.exit());
        assertTrue(missing.err().startsWith("mcp-health: --token-file " + dir.resolve("nope")
                + ": no such file"), missing.err());
        Done open = Done.run("watch", "--config", config.toString(), "--db", dir.resolve("o.db").toString(),
                "--http", "0", "--bind", "0.0.0.0", "--duration", "1s");
        assertEquals(3, open.exit());
        assertTrue(open.err().contains("binding 0.0.0.0 (not loopback) needs a bearer token: pass --token-file"),
                open.err());
    }
}
