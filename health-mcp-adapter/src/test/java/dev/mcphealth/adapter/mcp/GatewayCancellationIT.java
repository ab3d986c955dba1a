package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.RepoPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's cancellation of a call through the gateway reaches the upstream: the client sends
 * notifications/cancelled for its tools/call, and the upstream (the latency test double, which drops a cancelled call
 * unanswered as the TypeScript SDK's servers do, and notes its id) is told to stop the gateway's own request, and the
 * next call is served by the same instance (it was not blamed). Over stdio, with raw protocol lines (no SDK client
 * sends cancellations): the cancelled request gets no answer, as the spec says. Over streamable HTTP, where the POST
 * must end: the call ends at once with an answer saying it was cancelled.
 */
class GatewayCancellationIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path config() throws Exception {
        return config("");
    }

    /** The config of one instance of the double (type slow, 3 s a call); {@code health} is added to health. */
    private Path config(String health) throws Exception {
        Path dbl = RepoPaths.root().resolve("health-infrastructure/src/test/resources/doubles/latency-server-double.mjs");
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {\"slow\": {\"command\": \"node\", \"args\": [\"" + dbl
                + "\", \"--delay\", \"3000\", \"--count\", \"" + dir.resolve("calls") + "\", \"--cancelled\", \""
                + dir.resolve("cancelled") + "\"]}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 10000}" + health
                + ", \"servers\": {\"slow\": {\"serverType\": \"slow\"}}}}");
        return config;
    }

    private long calls() throws Exception {
        Path f = dir.resolve("calls");
        return Files.exists(f) ? Files.size(f) : 0;
    }

    private List<String> cancelled() throws Exception {
        Path f = dir.resolve("cancelled");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** Waits (polling the files the double writes, up to {@link #WAIT}) until {@code done} holds. */
    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(20); // polling a file another process writes: no clock of ours to advance
        }
    }

    private BooleanSupplier callsReached(long n) {
        return () -> {
            try {
                return calls() >= n;
            } catch (Exception e) {
                return false;
            }
        };
    }

    private BooleanSupplier upstreamCancelled() {
        return () -> {
            try {
                return !cancelled().isEmpty();
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** The gateway over stdio on the double's config, its stderr in a file. */
    private Process stdioGateway() throws Exception {
        return new ProcessBuilder(ServerProcess.command(List.of("--config", config().toString(), "--db",
                dir.resolve("health.db").toString(), "--gateway"))).redirectError(dir.resolve("stderr").toFile())
                .start();
    }

    /** Every line {@code p} writes on stdout, as it comes (a daemon thread reads them). */
    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            } catch (Exception e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return out;
    }

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"slow__echo\",\"arguments\":{\"message\":\"%s\"}}}";
    private static final String CANCEL = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
            + "{\"requestId\":%d,\"reason\":\"the user pressed stop\"}}";

    @Test
    void overStdioACancelledCallIsStoppedUpstreamAndTheNextIsServed() throws Exception {
        Process p = stdioGateway();
        BlockingQueue<String> out = lines(p);
        try (OutputStream in = p.getOutputStream()) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            answer(out, 1, Duration.ofSeconds(90));
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

            send(in, String.format(CALL, 2, "to be cancelled"));
            await("the call reached the upstream", callsReached(1));
            send(in, String.format(CANCEL, 2));
            await("the upstream was told to cancel", upstreamCancelled());

            send(in, String.format(CALL, 3, "after the cancel"));
            List<String> before = new java.util.ArrayList<>();
            String served = answer(out, 3, WAIT, before);
            assertTrue(served.contains("Echo: after the cancel"), "the instance was not blamed: " + served);
            assertTrue(before.stream().noneMatch(l -> answers(l, 2)),
                    "no answer to the cancelled request (the spec: none is sent): " + before);
            assertEquals(1, cancelled().size(), "only the cancelled call was: " + cancelled());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A prompt's get and a resource's read are stopped upstream as a call is: the client's notifications/cancelled
     * reaches the upstream (the double notes each), neither gets an answer over stdio, and the next get is served.
     */
    @Test
    void overStdioACancelledPromptGetAndResourceReadAreStoppedUpstream() throws Exception {
        Process p = stdioGateway();
        BlockingQueue<String> out = lines(p);
        String get = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"prompts/get\",\"params\":{\"name\":"
                + "\"slow__slow\"}}";
        try (OutputStream in = p.getOutputStream()) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            answer(out, 1, Duration.ofSeconds(90));
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

            send(in, String.format(get, 2));
            await("the get reached the upstream", callsReached(1));
            send(in, String.format(CANCEL, 2));
            await("the upstream was told to cancel the get", upstreamCancelled());

            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/read\",\"params\":{\"uri\":"
                    + "\"slow://doc\"}}");
            await("the read reached the upstream", callsReached(2));
            send(in, String.format(CANCEL, 3));
            await("the upstream was told to cancel the read", () -> {
                try {
                    return cancelled().size() >= 2;
                } catch (Exception e) {
                    return false;
                }
            });

            send(in, String.format(get, 4));
            List<String> before = new java.util.ArrayList<>();
            String served = answer(out, 4, WAIT, before);
            assertTrue(served.contains("slow prompt"), "the instance was not blamed: " + served);
            assertTrue(before.stream().noneMatch(l -> answers(l, 2) || answers(l, 3)),
                    "no answer to the cancelled requests (the spec: none is sent): " + before);
            assertEquals(2, cancelled().size(), "only the cancelled requests were: " + cancelled());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void send(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next line answering request {@code id}, within {@code wait}. */
    private static String answer(BlockingQueue<String> out, int id, Duration wait) throws InterruptedException {
        return answer(out, id, wait, new java.util.ArrayList<>());
    }

    /** The next line answering request {@code id}, within {@code wait}; the lines before it go to {@code skipped}. */
    private static String answer(BlockingQueue<String> out, int id, Duration wait, List<String> skipped)
            throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            String line = out.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && answers(line, id)) {
                return line;
            }
            if (line != null) {
                skipped.add(line);
            }
        }
        throw new AssertionError("no answer to request " + id + " within " + wait.toSeconds() + " s");
    }

    private static boolean answers(String line, int id) {
        return !line.contains("\"method\"") && (line.contains("\"id\":" + id + ",") || line.contains("\"id\":" + id
                + "}"));
    }

    @Test
    void overHttpACancelledCallIsStoppedUpstreamAndTheNextIsServed() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", config().toString(), "--db",
                dir.resolve("health.db").toString(), "--http", "0", "--gateway"))) {
            URI url = URI.create(server.url());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> init = http.send(post(url, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                    + "\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, init.statusCode(), init.body());
            String session = init.headers().firstValue(HttpGuard.SESSION_HEADER).orElseThrow();
            http.send(post(url, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                    HttpResponse.BodyHandlers.ofString());

            CompletableFuture<HttpResponse<String>> call = http.sendAsync(post(url, session,
                    String.format(CALL, 2, "to be cancelled")), HttpResponse.BodyHandlers.ofString());
            await("the call reached the upstream", callsReached(1));
            long cancelledAt = System.nanoTime();
            HttpResponse<String> cancel = http.send(post(url, session, String.format(CANCEL, 2)),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, cancel.statusCode(), cancel.body());
            await("the upstream was told to cancel", upstreamCancelled());
            HttpResponse<String> ended = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - cancelledAt < Duration.ofMillis(2500).toNanos(),
                    "the call ended at once, not after the upstream's 3 s");
            assertTrue(ended.body().contains("cancelled"), ended.body());

            HttpResponse<String> served = http.send(post(url, session, String.format(CALL, 3, "after the cancel")),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(served.body().contains("Echo: after the cancel"), "not blamed: " + served.body());
            assertEquals(1, cancelled().size(), cancelled().toString());
        }
    }

    /** A call that times out is cancelled upstream too (the spec's SHOULD): the server stops working on it. */
    @Test
    void aCallThatTimesOutIsCancelledUpstream() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config",
                config(", \"callTimeout\": {\"maxMs\": 1000}").toString(), "--db", dir.resolve("health.db").toString(),
                "--http", "0", "--gateway"))) {
            URI url = URI.create(server.url());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> init = http.send(post(url, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                    + "\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
            String session = init.headers().firstValue(HttpGuard.SESSION_HEADER).orElseThrow();
            http.send(post(url, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                    HttpResponse.BodyHandlers.ofString());

            HttpResponse<String> timedOut = http.send(post(url, session, String.format(CALL, 2, "too slow")),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(timedOut.body().contains("timeout"), timedOut.body());
            await("the upstream was told to cancel the call that timed out", upstreamCancelled());
            assertEquals(1, cancelled().size(), cancelled().toString());
        }
    }

    private static HttpRequest post(URI url, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(WAIT.plusSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header(HttpGuard.SESSION_HEADER, session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return b.build();
    }
}
