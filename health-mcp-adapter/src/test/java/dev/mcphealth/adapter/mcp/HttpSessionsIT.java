package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP sessions have a cap and an idle timeout: past {@code --max-sessions} a new session is refused with 503 and one
 * clear JSON-RPC error, and a session idle for {@code --session-idle} is closed (its id then gets "session not found"),
 * which makes room again. Real time: the SDK's sweeper runs on it, so the timeout is 2 s here.
 */
class HttpSessionsIT {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sessionsBeyondTheCapAreRefusedAndIdleOnesAreClosed() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--http", "0", "--max-sessions", "2",
                "--session-idle", "2"))) {
            URI url = URI.create(server.url());
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = initialize(url);
                assertEquals(200, r.statusCode(), r.body());
                sessions.add(r.headers().firstValue(HttpGuard.SESSION_HEADER).orElseThrow());
            }
            HttpResponse<String> refused = initialize(url);
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("too many sessions: this server holds at most 2 (--max-sessions)"),
                    refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());

            // idle for the timeout: the SDK closes them, the cap counts them out (bounded wait on a real sweeper)
            HttpResponse<String> after = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                after = initialize(url);
                if (after.statusCode() == 200) {
                    break;
                }
            }
            assertEquals(200, after.statusCode(), "room again once the idle sessions expired: " + after.body());
            HttpResponse<String> old = http.send(post(url, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}")
                    .header(HttpGuard.SESSION_HEADER, sessions.get(0)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, old.statusCode());
            assertTrue(old.body().contains("start a new session with initialize") || old.body().contains("Session not "
                    + "found"), old.body());
        }
    }

    private HttpResponse<String> initialize(URI url) throws Exception {
        return http.send(post(url, HttpServerIT.INITIALIZE).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(URI url, String body) {
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
