package dev.mcphealth.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A configuration's {@code health.alerts} pointed at a JSON-lines file and at a webhook receiver (a
 * {@link WebhookReceiverDouble}, with a secret Authorization header), and what each target received. One check for
 * every way of running a monitor ({@code watch}, {@code bin/mcp-health-server}, the {@code McpHealth} library), so
 * that all three are held to the same promise: every event goes to both targets, in the same order, and the secret
 * goes only where it belongs.
 */
public final class AlertReceivers implements AutoCloseable {
    /** The webhook's Authorization header: sent to the webhook, never written anywhere else. */
    public static final String SECRET = "Bearer alert-targets-s3cret";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final WebhookReceiverDouble webhook;

    private AlertReceivers(Path file, WebhookReceiverDouble webhook) {
        this.file = file;
        this.webhook = webhook;
    }

    /** A file in {@code dir} (not made yet: the monitor makes it) and a webhook receiver on 127.0.0.1. */
    public static AlertReceivers in(Path dir) {
        return new AlertReceivers(dir.resolve("alerts.jsonl"), WebhookReceiverDouble.start());
    }

    /** The {@code "alerts": {...}} member of a configuration's {@code health} object. */
    public String json() {
        return "\"alerts\": {\"file\": " + JSON.writeValueAsString(file.toString()) + ", \"webhook\": {\"url\": "
                + JSON.writeValueAsString(webhook.url("/hooks/alerts")) + ", \"headers\": {\"Authorization\": \""
                + SECRET + "\"}}}";
    }

    public Path file() {
        return file;
    }

    /** The events in the file, one per line. */
    public List<JsonNode> fileEvents() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code event} object of each webhook request, in the order received. */
    public List<JsonNode> webhookEvents() {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiverDouble.Request r : webhook.requests()) {
            out.add(JSON.readTree(r.body()).get("event"));
        }
        return out;
    }

    /**
     * Waits until both targets hold the same events in the same order, among them an event of each of {@code kinds}
     * about {@code server}, then checks what every webhook request carried. Returns the events.
     */
    public List<JsonNode> awaitSameEvents(Duration within, String server, String... kinds)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<JsonNode> inFile = fileEvents();
        List<JsonNode> posted = webhookEvents();
        while (!(inFile.equals(posted) && hasAll(inFile, server, kinds)) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the sinks deliver on their own threads; the file and the receiver are polled
            inFile = fileEvents();
            posted = webhookEvents();
        }
        assertEquals(inFile, posted, "the alerts file and the webhook received the same events, in the same order");
        assertTrue(hasAll(inFile, server, kinds), "events of kinds " + List.of(kinds) + " about " + server
                + " in: " + inFile);
        for (WebhookReceiverDouble.Request r : webhook.requests()) {
            assertEquals("POST", r.method());
            assertEquals("/hooks/alerts", r.path());
            assertEquals(SECRET, r.header("Authorization"), "the configured header went with every POST");
            assertFalse(JSON.readTree(r.body()).get("text").stringValue().isBlank(), "each POST has a text line");
        }
        try {
            assertFalse(Files.readString(file).contains("s3cret"), "the webhook's secret is not in the file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inFile;
    }

    private static boolean hasAll(List<JsonNode> events, String server, String... kinds) {
        for (String kind : kinds) {
            if (events.stream().noneMatch(e -> e.path("event").asString().equals(kind)
                    && e.path("server").asString().equals(server))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        webhook.close();
    }
}
