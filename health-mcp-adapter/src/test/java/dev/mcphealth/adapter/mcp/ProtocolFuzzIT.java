package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcphealth.testkit.ChaosFigures;
import dev.mcphealth.testkit.EverythingServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile frames ({@link HostileFrames}) against {@code mcp-health-server} as a real process, over stdio and
 * over streamable HTTP. For every frame: an answer comes (a request with a usable id gets one, with that id; the
 * server answers the ping sent after it, so it is alive and reading), everything on stdout is JSON-RPC, nothing that
 * reaches the client or stderr shows a Java class, exception or stack frame, and the secret in a server's env never
 * shows. {@code -Dmcphealth.fuzz.frames=N} sets the frames per transport (250; the chaos profile runs 10,000),
 * {@code -Dmcphealth.fuzz.seed=S} repeats a run.
 */
class ProtocolFuzzIT {
    static final int FRAMES = ChaosFigures.scale("mcphealth.fuzz.frames", 250, 10_000);
    static final long SEED = Long.getLong("mcphealth.fuzz.seed", new Random().nextLong());
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(40);
    static final String SECRET = "Fuzz-Secret-" + Long.toHexString(SEED ^ 0x5eed);
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\","
            + "\"version\":\"1\"}}}";

    @TempDir
    Path dir;

    @Test
    void stdioAnswersEveryFrameAndStaysUp() throws Exception {
        fuzzStdio(HostileFrames.generate(SEED, FRAMES), "stdio");
    }

    @Test
    void stdioAnswersEveryGeneratedToolCall() throws Exception {
        fuzzStdio(HostileFrames.toolCalls(SEED, FRAMES), "tool calls over stdio");
    }

    private void fuzzStdio(List<String> frames, String label) throws Exception {
        Process p = new ProcessBuilder(ServerProcess.command(List.of("--config", config().toString(), "--db",
                dir.resolve("health.db").toString(), "--interval", "2")))
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            OutputStream in = p.getOutputStream();
            BlockingQueue<String> out = lines(p);
            Timing timing = new Timing();
            send(in, INITIALIZE);
            await(out, "init", "the initialize answer");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            for (int n = 0; n < frames.size(); n++) {
                String frame = frames.get(n);
                Object expected = HostileFrames.expectedId(frame);
                String marker = "marker-" + n;
                long began = System.nanoTime();
                send(in, frame);
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":\"" + marker + "\",\"method\":\"ping\"}");
                boolean answered = expected == null;
                boolean alive = false;
                long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
                while (!(answered && alive)) {
                    String line = out.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    assertNotNull(line, "frame " + n + " (seed " + SEED + "): no answer within " + ANSWER_WITHIN
                            + " (answered " + answered + ", alive " + alive + "): " + shorten(frame));
                    Map<?, ?> m = jsonRpc(line, frame);
                    Object id = m.get("id");
                    alive |= marker.equals(id);
                    answered |= expected != null && sameId(expected, id);
                }
                assertTrue(p.isAlive(), "frame " + n + " ended the server: " + shorten(frame));
                timing.took(System.nanoTime() - began, frame);
            }
            timing.print(label);
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(0, p.exitValue(), "end of input stops it cleanly after the fuzz");
        assertCleanLog(Files.readString(dir.resolve("stderr.txt")));
    }

    @Test
    void httpAnswersEveryFrameWithoutInternals() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", config().toString(), "--db",
                dir.resolve("health.db").toString(), "--interval", "2", "--http", "0"))) {
            URI url = URI.create(server.url());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String session = initialize(http, url);
            List<String> frames = HostileFrames.generate(SEED, FRAMES);
            Random variants = new Random(SEED);
            Timing timing = new Timing();
            for (int n = 0; n < FRAMES; n++) {
                long began = System.nanoTime();
                String frame = frames.get(n);
                int variant = variants.nextInt(20);
                HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(ANSWER_WITHIN)
                        .header("Content-Type", variant == 0 ? "text/plain" : "application/json")
                        .header("Accept", variant == 1 ? "text/html" : "application/json, text/event-stream");
                if (variant != 2) {
                    b.header(HttpGuard.SESSION_HEADER, variant == 3 ? "no-such-session" : session);
                }
                if (variant == 4 || variant == 17) {
                    Object[] got = listen(url, session, variants.nextInt(5));
                    String text = (String) got[1];
                    timing.took(System.nanoTime() - began, "GET HTTP " + got[0]);
                    assertTrue(HostileFrames.leaks(text).isEmpty(), "internals reach the client on GET: " + text);
                    continue;
                }
                if (variant == 5) {
                    b.DELETE();
                } else {
                    b.POST(HttpRequest.BodyPublishers.ofString(frame));
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                timing.took(System.nanoTime() - began, "variant " + variant + " HTTP " + r.statusCode() + " " + frame);
                String what = "frame " + n + " (seed " + SEED + ", variant " + variant + ", HTTP " + r.statusCode()
                        + "): " + shorten(frame) + "\n-> " + shorten(r.body());
                assertTrue(HostileFrames.leaks(r.body()).isEmpty(), "internals reach the client: " + what + "\n"
                        + HostileFrames.leaks(r.body()));
                assertFalse(r.body().toLowerCase(Locale.ROOT).contains(SECRET.toLowerCase(Locale.ROOT)), what);
                r.headers().map().forEach((k, v) -> assertTrue(HostileFrames.leaks(String.join(" ", v)).isEmpty(),
                        what + " header " + k));
                boolean good = variant >= 6 && HostileFrames.expectedId(frame) != null;
                if (good) {
                    // a request in a live session: never an empty 200, the client waiting for its own timeout
                    assertFalse(r.statusCode() == 200 && r.body().isBlank(), "no answer: " + what);
                }
                String type = r.headers().firstValue("Content-Type").orElse("");
                if (type.startsWith("application/json")) {
                    jsonRpc(r.body(), frame);
                } else if (type.startsWith("text/event-stream")) {
                    r.body().lines().filter(l -> l.startsWith("data:"))
                            .forEach(l -> jsonRpc(l.substring(5).strip(), frame));
                }
                if (variant == 5 && r.statusCode() < 300) {
                    session = initialize(http, url); // the frame's DELETE ended our session: take a new one
                }
            }
            timing.print("http");
            // still serving: a normal request in a fresh session works
            initialize(http, url);
            assertTrue(server.process.isAlive(), "the server survived the fuzz");
            server.stop();
            assertCleanLog(server.stderrText());
        }
    }

    /**
     * A GET over a plain socket: an accepted one is the session's listening stream, which the SDK commits only with its
     * first event; what arrives within 0.5 s (the status line and headers of a refusal, or nothing yet) is read, then the
     * client leaves. Answers with the status (0 when none came yet) and what was read.
     */
    private static Object[] listen(URI url, String session, int variant) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(500);
            String request = "GET " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nAccept: text/event-stream\r\nConnection: close\r\n" + (variant == 2 ? "" : HttpGuard.SESSION_HEADER + ": "
                    + (variant == 3 ? "no-such-session" : session) + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = socket.getInputStream().read(buf)) > 0 && read.size() < 1 << 20) {
                    read.write(buf, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // a listening stream: nothing more comes until an event
            }
            String text = read.toString(StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(text);
            return new Object[] {m.find() ? Integer.parseInt(m.group(1)) : 0, text};
        }
    }

    private String initialize(HttpClient http, URI url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(ANSWER_WITHIN)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String session = r.headers().firstValue(HttpGuard.SESSION_HEADER).orElseThrow();
        http.send(HttpRequest.newBuilder(url).timeout(ANSWER_WITHIN).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header(HttpGuard.SESSION_HEADER, session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":"
                        + "\"notifications/initialized\"}")).build(), HttpResponse.BodyHandlers.discarding());
        return session;
    }

    /** A config of the real server-everything with a secret in its env. */
    private Path config() throws IOException {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, "{\"mcpServers\": {\"everything\": {\"command\": \"node\", \"args\": [\""
                + EverythingServer.entryPoint() + "\", \"stdio\"], \"env\": {\"FUZZ_TOKEN\": \"" + SECRET + "\"}}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 5000, \"retryDelaySeconds\": 1},"
                + " \"servers\": {\"everything\": {\"serverType\": \"demo\"}}}}");
        return file;
    }

    private static void assertCleanLog(String stderr) {
        assertTrue(HostileFrames.leaks(stderr).isEmpty(), "stderr shows internals: " + HostileFrames.leaks(stderr));
        assertFalse(stderr.toLowerCase(Locale.ROOT).contains(SECRET.toLowerCase(Locale.ROOT)), "secret on stderr");
    }

    /** The line as one JSON-RPC message, with no internals and no secret in it. */
    private static Map<?, ?> jsonRpc(String line, String frame) {
        String what = "after " + shorten(frame) + ": " + shorten(line);
        assertTrue(HostileFrames.leaks(line).isEmpty(), "internals reach the client " + what + "\n"
                + HostileFrames.leaks(line));
        assertFalse(line.toLowerCase(Locale.ROOT).contains(SECRET.toLowerCase(Locale.ROOT)), "secret " + what);
        Object parsed;
        try {
            parsed = HostileFrames.MAPPER.readValue(line, Object.class);
        } catch (IOException e) {
            return fail("not JSON " + what);
        }
        assertTrue(parsed instanceof Map<?, ?> m && "2.0".equals(m.get("jsonrpc")), "not JSON-RPC " + what);
        return (Map<?, ?>) parsed;
    }

    private static boolean sameId(Object expected, Object id) {
        return id != null && String.valueOf(expected).equals(String.valueOf(id));
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    q.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "fuzz-stdout");
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static void await(BlockingQueue<String> out, String id, String what) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
        while (true) {
            String line = out.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "no " + what);
            if (line.contains("\"id\":\"" + id + "\"")) {
                return;
            }
        }
    }

    private static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** How long frames took to be answered: the slowest, for the log of the run. */
    private static final class Timing {
        final java.util.TreeMap<Long, String> slowest = new java.util.TreeMap<>();
        long total;
        int frames;

        void took(long nanos, String frame) {
            total += nanos;
            frames++;
            slowest.put(nanos, frame);
            if (slowest.size() > 3) {
                slowest.pollFirstEntry();
            }
        }

        void print(String transport) {
            ChaosFigures.record("frames over " + transport, String.format(java.util.Locale.ROOT, "%d generated frames "
                    + "(seed %d), each answered, 0 crashes, 0 stack traces or class names, 0 secrets out; %.1f s in "
                    + "all, mean %.1f ms a frame; slowest %s", frames, SEED, total / 1e9, total / 1e6 / Math.max(1,
                    frames), slowest.descendingMap().entrySet().stream().map(e -> Math.round(e.getKey() / 1e6)
                    + " ms").toList()));
        }
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
    }
}
