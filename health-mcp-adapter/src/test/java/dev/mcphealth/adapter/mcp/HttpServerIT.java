package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over streamable HTTP on loopback, with a bearer token: the SDK's client calls every tool; raw requests
 * show the guard refusing a missing or wrong token (401), a foreign Host or Origin (403), an oversized body (413).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServerIT {
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\","
            + "\"version\":\"1\"}}}";

    Path dir;
    ServerProcess server;
    String url;
    String token = "t0k3n-" + Long.toHexString(System.nanoTime()) + "-abcdef";
    HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(), "--db",
                dir.resolve("health.db").toString(), "--interval", "1", "--http", "0", "--token-file",
                tokenFile.toString(), "--max-body", "4096"));
        url = server.url();
    }

    @AfterAll
    void stop() throws Exception {
        assertEquals(0, server.stop(), "SIGTERM stops it cleanly");
        assertFalse(String.join("\n", server.stderr).contains(token), "the token is never printed");
    }

    @Test
    void bindsLoopbackByDefault() {
        assertTrue(url.startsWith("http://127.0.0.1:") && url.endsWith("/mcp"), url);
    }

    private McpSyncClient client(BlockingQueue<McpSchema.LoggingMessageNotification> logs) {
        URI u = URI.create(url);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://" + u.getHost() + ":" + u.getPort()).endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .jsonMapper(McpJsonDefaults.getMapper()).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).loggingConsumer(logs::add).build();
    }

    @Test
    void eachHttpSessionGetsTheNotificationsItsLevelLetsThrough() throws Exception {
        BlockingQueue<McpSchema.LoggingMessageNotification> chatty = new LinkedBlockingQueue<>();
        BlockingQueue<McpSchema.LoggingMessageNotification> quiet = new LinkedBlockingQueue<>();
        McpSyncClient a = client(chatty);
        McpSyncClient b = client(quiet);
        try {
            a.initialize();
            b.initialize();
            a.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
            b.setLoggingLevel(McpSchema.LoggingLevel.ERROR);
            quiet.clear(); // what came at the default level before
            ToolCalls.call(a, RecoverySystemTool.NAME, Map.of("action", "recover", "server", "memory"));
            // a restart that succeeds raises recovery_started (info) and recovery_succeeded (notice)
            assertTrue(Notifications.within(chatty, Duration.ofSeconds(30), n -> true).isPresent(),
                    "the debug session hears of the restart");
            // the restart's notifications only: a status the server sent at the default level before the level was
            // set may still be on its way (it arrived after the clear once, on a loaded machine)
            Optional<McpSchema.LoggingMessageNotification> restartBelowError = Notifications.within(quiet,
                    Duration.ofSeconds(3), m -> m.level().level() < McpSchema.LoggingLevel.ERROR.level()
                            && String.valueOf(m.data()).contains("\"event\":\"recovery_"));
            assertTrue(restartBelowError.isEmpty(), "a restart notification below ERROR arrived: " + restartBelowError);
            b.setLoggingLevel(McpSchema.LoggingLevel.INFO);
            ToolCalls.call(b, RecoverySystemTool.NAME, Map.of("action", "recover", "server", "memory"));
            assertTrue(Notifications.within(quiet, Duration.ofSeconds(30), n -> true).isPresent(),
                    "once at info, the same session hears of the next restart");
        } finally {
            a.closeGracefully();
            b.closeGracefully();
        }
    }

    @Test
    void theSdkClientCallsEveryToolAndReceivesNotifications() throws Exception {
        BlockingQueue<McpSchema.LoggingMessageNotification> logs = new LinkedBlockingQueue<>();
        McpSyncClient client = client(logs);
        try {
            client.initialize();
            ToolCalls.listsTheFiveTools(client);
            client.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
            ToolCalls.callsEachTool(client);
            ToolCalls.readsTheResources(client);
            McpSchema.LoggingMessageNotification n = logs.poll(30, TimeUnit.SECONDS);
            assertTrue(n != null, "a logging notification arrived over HTTP");
            assertEquals(ClientNotifier.LOGGER, n.logger());
        } finally {
            client.closeGracefully();
        }
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedWith401() throws Exception {
        HttpResponse<String> r = post(INITIALIZE, Map.of());
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertTrue(r.body().contains("bearer token"), r.body());
    }

    @Test
    void aWrongTokenIsRefusedWith401() throws Exception {
        assertEquals(401, post(INITIALIZE, Map.of("Authorization", "Bearer " + token + "x")).statusCode());
        assertEquals(401, post(INITIALIZE, Map.of("Authorization", "Basic " + token)).statusCode());
    }

    @Test
    void theRightTokenIsLetThrough() throws Exception {
        HttpResponse<String> r = post(INITIALIZE, Map.of("Authorization", "Bearer " + token));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("mcp-health"), r.body());
    }

    @Test
    void aForeignOriginIsRefusedWith403AndTheServersOwnIsNot() throws Exception {
        URI u = URI.create(url);
        HttpResponse<String> evil = post(INITIALIZE, Map.of("Authorization", "Bearer " + token,
                "Origin", "http://evil.example"));
        assertEquals(403, evil.statusCode());
        assertTrue(evil.body().contains("Origin"), evil.body());
        HttpResponse<String> rebinding = post(INITIALIZE, Map.of("Authorization", "Bearer " + token,
                "Origin", "http://127.0.0.1:" + (u.getPort() + 1)));
        assertEquals(403, rebinding.statusCode(), "another port is another origin");
        HttpResponse<String> own = post(INITIALIZE, Map.of("Authorization", "Bearer " + token,
                "Origin", "http://127.0.0.1:" + u.getPort()));
        assertEquals(200, own.statusCode(), own.body());
    }

    /** Host cannot be set through java.net.http, so this request is written by hand on a socket. */
    private int statusWithHost(String host) throws Exception {
        URI u = URI.create(url);
        byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", u.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aForeignHostIsRefusedWith403() throws Exception {
        int port = URI.create(url).getPort();
        assertEquals(403, statusWithHost("evil.example:" + port), "DNS rebinding: a name that is not ours");
        assertEquals(403, statusWithHost("evil.example"));
        assertEquals(200, statusWithHost("localhost:" + port));
        assertEquals(200, statusWithHost("127.0.0.1:" + port));
    }

    /**
     * The read side keeps the rules of /mcp: every page, the API, the events and the stream, the badges and /metrics
     * refuse a request without the token (401), from a foreign Host (403, DNS rebinding) or a foreign Origin (403),
     * and answer the right one.
     */
    @Test
    void thePagesTheApiTheStreamTheBadgesAndTheMetricsKeepTheTokenHostAndOriginRules() throws Exception {
        int port = URI.create(url).getPort();
        for (String path : List.of("/", "/server?name=everything", "/failures", "/events", "/app.js",
                "/api/v1/servers", "/api/v1/events", "/api/v1/uptime", "/badge/everything/status.svg", "/metrics")) {
            String ok = "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token;
            assertEquals("HTTP/1.1 200 OK", rawStatus("GET " + path + " HTTP/1.1\r\n" + ok
                    + "\r\nConnection: close\r\n\r\n"), path);
            assertEquals("HTTP/1.1 401 Unauthorized", rawStatus("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port + "\r\nConnection: close\r\n\r\n"), path + " without the token");
            assertEquals("HTTP/1.1 403 Forbidden", rawStatus("GET " + path + " HTTP/1.1\r\nHost: evil.example:"
                    + port + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n"),
                    path + " from a foreign Host");
            assertEquals("HTTP/1.1 403 Forbidden", rawStatus("GET " + path + " HTTP/1.1\r\n" + ok
                    + "\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n"), path + " from a foreign Origin");
        }
        // the stream: refused the same way before it opens
        Map<String, String> refusals = Map.of("Host: 127.0.0.1:" + port, "HTTP/1.1 401 Unauthorized",
                "Host: evil.example:" + port + "\r\nAuthorization: Bearer " + token, "HTTP/1.1 403 Forbidden",
                "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token + "\r\nOrigin: http://evil.example",
                "HTTP/1.1 403 Forbidden");
        refusals.forEach((headers, status) -> {
            try {
                assertEquals(status, rawStatus("GET /api/v1/stream HTTP/1.1\r\n" + headers
                        + "\r\nConnection: close\r\n\r\n"), headers);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // the cookie exchange goes on to our own plain path only, the page's parameters kept, the token dropped
        // however its name is spelled
        String exchanged = rawAnswer("GET /server?%74oken=" + token + "&name=memory HTTP/1.1\r\nHost: 127.0.0.1:"
                + port + "\r\nConnection: close\r\n\r\n");
        assertTrue(exchanged.contains("url=/server?name=memory\"") && !exchanged.contains(token.substring(3)),
                exchanged);
        String elsewhere = rawAnswer("GET /a%5Cevil.example?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(!elsewhere.contains("evil.example") || elsewhere.startsWith("HTTP/1.1 400"), elsewhere);
        String odd = rawAnswer("GET /server%40evil?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(odd.contains("content=\"0;url=/\"") && !odd.contains("evil"), "a path that is not plain goes on"
                + " to /: " + odd);
    }

    @Test
    void anOversizedBodyIsRefusedWith413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5000)
                + "\"}}";
        HttpResponse<String> r = post(big, Map.of("Authorization", "Bearer " + token));
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("4096"), r.body());
    }

    @Test
    void anOversizedChunkedBodyIsRefusedWith413() throws Exception {
        URI u = URI.create(url);
        try (Socket s = new Socket("127.0.0.1", u.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + u.getPort() + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String chunk = "x".repeat(1000);
            for (int i = 0; i < 5; i++) {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("413", status.split(" ")[1], status);
        }
    }

    @Test
    void onlyTheMcpAndMetricsEndpointsAreServed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/admin")))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/metrics")))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE mcphealth_up gauge"), metrics.body());
    }

    private HttpResponse<String> api(String path, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/api/v1" + path))).GET();
        if (withToken) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theReadApiAnswersServersOneServersHistoryPoolsAndFailuresAndRefusesBadInputWithOneLine() throws Exception {
        assertEquals(401, api("/servers", false).statusCode(), "the token, as for /mcp");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> servers = api("/servers", true);
        while (!(servers.body().contains("\"server\":\"everything\"") && servers.body().contains("\"status\":"))
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200); // the monitor's first probes, on its own schedule
            servers = api("/servers", true);
        }
        assertEquals(200, servers.statusCode(), servers.body());
        assertTrue(servers.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(servers.body().contains("\"server\":\"memory\"") && servers.body().contains("\"monitor\":{"),
                servers.body());
        HttpResponse<String> one = api("/servers/everything?period=1h", true);
        assertEquals(200, one.statusCode(), one.body());
        assertTrue(one.body().contains("\"history\":[") && one.body().contains("\"period\":\"PT1H\""), one.body());
        HttpResponse<String> pools = api("/pools", true);
        assertTrue(pools.body().contains("\"serverType\":\"demo\"") && pools.body().contains("\"serverType\":\"kv\""),
                pools.body());
        assertEquals(200, api("/failures?period=7d&limit=5", true).statusCode());
        assertTrue(api("", true).body().contains("\"version\":\"v1\""));

        HttpResponse<String> unknown = api("/servers/nope", true);
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"error\":\"no server named 'nope' is watched\"}", unknown.body());
        HttpResponse<String> period = api("/servers/everything?period=2y", true);
        assertEquals(400, period.statusCode());
        assertEquals("{\"error\":\"period must be one of 1h, 24h, 7d, 30d; got '2y'\"}", period.body());
        HttpResponse<String> limit = api("/failures?limit=-1", true);
        assertEquals(400, limit.statusCode());
        assertTrue(limit.body().startsWith("{\"error\":\"limit must be a whole number from 1 to 1000"), limit.body());
        assertEquals(404, api("/admin", true).statusCode());

        // the monitor's events since the server started: both servers' first status at least
        HttpResponse<String> events = api("/events?limit=50", true);
        while (!events.body().contains("\"server\":\"memory\"") && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200); // the event follows the status it tells by a moment
            events = api("/events?limit=50", true);
        }
        assertEquals(200, events.statusCode(), events.body());
        assertTrue(events.body().startsWith("{\"kept\":1000,\"last\":") && events.body().contains(
                "\"event\":\"status_changed\",\"server\":\"everything\""), events.body());
        assertTrue(events.body().contains("\"from\":null"), "each event's own line: " + events.body());
        HttpResponse<String> memoryEvents = api("/events?server=memory", true);
        assertTrue(!memoryEvents.body().contains("\"server\":\"everything\""), memoryEvents.body());
        assertEquals("{\"error\":\"no server named 'nope' is watched\"}", api("/events?server=nope", true).body());
        assertEquals(400, api("/events?limit=0", true).statusCode());
        // not a gateway: no tools, and said
        assertEquals("{\"gateway\":false,\"tools\":[]}", api("/tools?server_type=demo", true).body());
        HttpResponse<String> type = api("/tools?server_type=nope", true);
        assertEquals(404, type.statusCode());
        assertEquals("{\"error\":\"no server type 'nope' is watched\"}", type.body());
        assertEquals(401, api("/events", false).statusCode(), "the token, as for /mcp");
    }

    @Test
    void badgesShowAServersStatusAndUptimeAndSayWhatIsWrong() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> status = badge("/everything/status.svg");
        while (status.body().contains("not probed yet") && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200); // the monitor's first probe, on its own schedule
            status = badge("/everything/status.svg");
        }
        assertEquals(200, status.statusCode());
        assertTrue(status.headers().firstValue("Content-Type").orElse("").startsWith("image/svg+xml"));
        assertTrue(status.body().startsWith("<svg ") && status.body().contains("<title>everything: healthy</title>"),
                status.body());
        HttpResponse<String> uptime = badge("/everything/uptime.svg?period=7d");
        assertEquals(200, uptime.statusCode());
        assertTrue(uptime.body().contains("<title>uptime 7d: "), uptime.body());
        HttpResponse<String> unknown = badge("/nope/status.svg");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("<title>nope: not watched</title>"), unknown.body());
        assertEquals(400, badge("/everything/uptime.svg?period=1y").statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/badge/everything/status.svg")))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "the token, as for /mcp");
    }

    private HttpResponse<String> badge(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/badge" + path)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDashboardIsServedFromTheJarAndItsStreamPushesTheServers() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/")))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertTrue(page.body().contains("<script src=\"app.js\" defer></script>"), page.body());
        for (String asset : List.of("/app.js", "/app.css", "/common.js", "/server", "/server.js", "/failures",
                "/failures.js", "/events", "/events.js", "/uplot.min.js", "/uplot.min.css")) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", asset)))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), asset);
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", asset))).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), asset + " without the token");
        }
        // the stream: the servers at once, as an event
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(
                URI.create(url.replace("/mcp", "/api/v1/stream"))).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (java.util.stream.Stream<String> lines = stream.body()) {
            List<String> first = lines.limit(3).toList();
            assertEquals("retry: 2000", first.get(0));
            assertEquals("event: servers", first.get(1));
            assertTrue(first.get(2).startsWith("data: {\"source\":\"monitor\",\"servers\":[")
                    && first.get(2).contains("\"everything\""),
                    first.get(2));
        }
        // a page reconnecting with the last event it had gets the ones it missed (here: all, from the first)
        HttpResponse<java.util.stream.Stream<String>> again = http.send(HttpRequest.newBuilder(
                URI.create(url.replace("/mcp", "/api/v1/stream"))).header("Authorization", "Bearer " + token)
                .header("Last-Event-ID", "0").GET().build(), HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = again.body()) {
            List<String> first = lines.limit(7).toList();
            assertEquals(List.of("id: 1", "event: monitor"), first.subList(4, 6), String.join("\n", first));
            assertTrue(first.get(6).startsWith("data: {\"event\":\"status_changed\""), first.get(6));
        }
    }

    @Test
    void aBrowserGetsTheTokenOnceAsAnHttpOnlyStrictCookieThatOpensThePagesButNotMcp() throws Exception {
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        assertEquals(401, noRedirects.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/"))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "no token, no cookie");
        assertEquals(401, noRedirects.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/?token=wrong")))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "a wrong token");
        HttpResponse<String> once = noRedirects.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp",
                "/?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, once.statusCode(), "a page of ours that goes on to / (a redirect from a link elsewhere"
                + " would come back without the Strict cookie)");
        assertTrue(once.body().contains("<meta http-equiv=\"refresh\" content=\"0;url=/\">"), once.body());
        String setCookie = once.headers().firstValue("Set-Cookie").orElse("");
        int port = URI.create(url).getPort();
        assertTrue(setCookie.startsWith("mcp_health_" + port + "=") && setCookie.contains("HttpOnly")
                && setCookie.contains("SameSite=Strict") && !setCookie.contains(token), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertEquals(200, noRedirects.send(HttpRequest.newBuilder(URI.create(url.replace("/mcp", "/api/v1/servers")))
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, noRedirects.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode(), "the cookie opens the pages, not /mcp");
        assertEquals("HTTP/1.1 401 Unauthorized", rawStatus("GET /./mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nCookie: " + cookie + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n"),
                "nor /mcp by another spelling");
    }

    /** The status line of the answer to {@code request}, sent as is. */
    /** The whole answer to {@code request}, written by hand on a socket. */
    private String rawAnswer(String request) throws Exception {
        URI u = URI.create(url);
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String rawStatus(String request) throws Exception {
        URI u = URI.create(url);
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
