package dev.mcphealth.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A TEST DOUBLE: {@code doubles/hostile-http-double.mjs} in a node process, an HTTP endpoint on 127.0.0.1 that
 * misbehaves by path (a redirect off this machine, an HTML page, any status, an answer one byte a second, a body that
 * never ends) and counts what it was asked and how many connections it holds ({@link #stats()}). No real server
 * misbehaves on demand. It ends with the test (its stdin closes).
 */
public final class HostileHttpDouble implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HostileHttpDouble(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static HostileHttpDouble start() {
        Process p;
        try {
            p = new ProcessBuilder("node", RepoPaths.root().resolve(
                    "health-infrastructure/src/test/resources/doubles/hostile-http-double.mjs").toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (line == null || !line.startsWith("listening on port ")) {
                    throw new IllegalStateException("the hostile HTTP double said " + line);
                }
                return Integer.parseInt(line.substring("listening on port ".length()).trim());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return new HostileHttpDouble(p, port.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the hostile HTTP double did not start", e);
        }
    }

    /** The URL of one behaviour: {@code /redirect}, {@code /html}, {@code /status/503}, {@code /slowloris}... */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /**
     * What it saw: {@code requests} ("POST /html": n), {@code open} and {@code maxOpen} connections, {@code sent}
     * bytes per path.
     */
    public JsonNode stats() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/stats")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // it exits when its stdin closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException ignored) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
