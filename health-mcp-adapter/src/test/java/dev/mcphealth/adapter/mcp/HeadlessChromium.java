package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A headless Chromium driven over the DevTools protocol (a WebSocket of the JDK's HttpClient): the page stays open,
 * as a user's does, and the test reads it with Runtime.evaluate.
 */
final class HeadlessChromium implements AutoCloseable {
    /** Debian's chromium (scripts/install-test-servers.sh installs it). */
    private static Path chromium() {
        Path p = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/install-test-servers.sh (or apt-get install"
                    + " chromium) for the browser tests");
        }
        return p;
    }

    private final Process process;
    private final java.net.http.WebSocket socket;
    private final java.util.Map<Integer, java.util.concurrent.CompletableFuture<java.util.Map<String, Object>>>
            replies = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
    private final io.modelcontextprotocol.json.McpJsonMapper json = io.modelcontextprotocol.json.McpJsonDefaults
            .getMapper();

    HeadlessChromium(Path profile, Path log) throws Exception {
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
