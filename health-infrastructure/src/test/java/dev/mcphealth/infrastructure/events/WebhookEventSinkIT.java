package dev.mcphealth.infrastructure.events;

import static dev.mcphealth.infrastructure.events.SampleEvents.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.WebhookReceiverDouble;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The webhook sink against a real HTTP server on loopback ({@link WebhookReceiverDouble}). */
@Timeout(60)
class WebhookEventSinkIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final EventFanout.Settings FAST = EventFanout.Settings.DEFAULTS
            .withRetryDelays(Duration.ofMillis(5), Duration.ofMillis(50));
    private static final String SLACK_PATH = "/services/T0SECRET1/B0SECRET2/xoxbTOKENsecret3";

    private final WebhookReceiverDouble receiver = WebhookReceiverDouble.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private WebhookEventSink sink(Map<String, String> headers) {
        return new WebhookEventSink(URI.create(receiver.url(SLACK_PATH)), headers);
    }

    @Test
    void postsSlackCompatibleJsonWithTheConfiguredHeaders() throws InterruptedException {
        WebhookEventSink sink = sink(Map.of("Authorization", "Bearer t0ken", "X-Team", "ops"));

        Delivery d = sink.deliver(SampleEvents.wentCritical());

        assertInstanceOf(Delivery.Delivered.class, d);
        assertTrue(receiver.awaitRequests(1, PATIENCE));
        WebhookReceiverDouble.Request r = receiver.requests().get(0);
        assertEquals("POST", r.method());
        assertEquals(SLACK_PATH, r.path());
        assertEquals("application/json; charset=utf-8", r.header("Content-Type"));
        assertEquals("Bearer t0ken", r.header("Authorization"));
        assertEquals("ops", r.header("X-Team"));
        assertEquals("{\"text\":\":red_circle: server memory critical: timeout (request timed out after 2000 ms)\","
                + "\"event\":" + EventJson.line(SampleEvents.wentCritical()) + "}", r.body());
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void twoHundredsAreDelivered(int status) {
        receiver.answering(status);
        assertInstanceOf(Delivery.Delivered.class, sink(Map.of()).deliver(SampleEvents.drift()));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void tooManyRequestsAndServerErrorsAreRetryable(int status) {
        receiver.answering(status);
        Delivery d = sink(Map.of()).deliver(SampleEvents.drift());
        assertEquals(new Delivery.Retryable("HTTP " + status, Optional.empty()), d);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410, 413, 422})
    void otherClientErrorsAreRejected(int status) {
        receiver.answering(status);
        assertEquals(new Delivery.Rejected("HTTP " + status), sink(Map.of()).deliver(SampleEvents.drift()));
    }

    @Test
    void redirectsAreNotFollowed() {
        receiver.answering(302);
        assertEquals(new Delivery.Rejected("HTTP 302 (redirects are not followed)"),
                sink(Map.of()).deliver(SampleEvents.drift()));
    }

    @Test
    void retryAfterInSecondsIsPassedOn() {
        receiver.answering(429).withRetryAfter("7");
        assertEquals(new Delivery.Retryable("HTTP 429", Optional.of(Duration.ofSeconds(7))),
                sink(Map.of()).deliver(SampleEvents.drift()));
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
        Delivery d = new WebhookEventSink(URI.create("http://127.0.0.1:" + closedPort() + SLACK_PATH), Map.of())
                .deliver(SampleEvents.drift());

        assertTrue(assertInstanceOf(Delivery.Retryable.class, d).reason().equals("connection refused"), d.toString());
    }

    @Test
    void aSlowReceiverIsARetryableTimeout() throws InterruptedException {
        receiver.holding();
        WebhookEventSink sink = new WebhookEventSink(URI.create(receiver.url(SLACK_PATH)), Map.of(),
                Duration.ofSeconds(5), Duration.ofMillis(300));

        Delivery d = sink.deliver(SampleEvents.drift());

        assertEquals(new Delivery.Retryable("request timed out", Optional.empty()), d);
        assertTrue(receiver.awaitRequests(1, PATIENCE));
    }

    @Test
    void namedBySchemeHostAndPortOnly() {
        assertEquals("webhook http://127.0.0.1:" + receiver.port(), sink(Map.of()).name());
        assertEquals("webhook https://hooks.slack.com:443",
                new WebhookEventSink(URI.create("https://hooks.slack.com" + SLACK_PATH), Map.of()).name());
        assertEquals("webhook http://example.com:80",
                new WebhookEventSink(URI.create("http://example.com/hook"), Map.of()).toString());
    }

    @Test
    void oneDeliveryAfterTwoRetries() throws InterruptedException {
        receiver.answering(500, 500, 200);
        EventFanout fanout = new EventFanout(List.of(sink(Map.of())), FAST, Clock.systemUTC());

        fanout.publish(SampleEvents.alertRaised());
        EventFanout.CloseReport report = fanout.close(PATIENCE);

        assertTrue(report.drained());
        EventFanout.SinkCounts c = report.sinks().get(0);
        assertEquals(1, c.delivered());
        assertEquals(2, c.retried());
        assertEquals(0, c.failed());
        assertEquals(3, receiver.requests().size());
        assertEquals(1, receiver.requests().stream().map(WebhookReceiverDouble.Request::body).distinct().count(),
                "the same body every time");
    }

    @Test
    void aBadRequestIsAPermanentFailureNotRetried() {
        receiver.answering(400);
        EventFanout fanout = new EventFanout(List.of(sink(Map.of())), FAST, Clock.systemUTC());

        fanout.publish(numbered(1));
        fanout.publish(numbered(2));
        EventFanout.SinkCounts c = fanout.close(PATIENCE).sinks().get(0);

        assertEquals(2, receiver.requests().size(), "one request per event: the 400 was not retried");
        assertEquals(1, c.failed());
        assertEquals(0, c.retried());
        assertEquals(1, c.delivered());
        assertTrue(c.lastFailed().isPresent());
    }

    @Test
    void badUrlsAndHeadersAreRefusedWithoutEchoingThem() {
        List<String> messages = new ArrayList<>();
        messages.add(assertThrows(IllegalArgumentException.class,
                () -> new WebhookEventSink(URI.create("ftp://hooks.example" + SLACK_PATH), Map.of())).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class,
                () -> new WebhookEventSink(URI.create(SLACK_PATH), Map.of())).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class,
                () -> new WebhookEventSink(URI.create(receiver.url(SLACK_PATH)),
                        Map.of("Authorization", "Bearer headerSECRET5\r\nX-Injected: 1"))).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class,
                () -> new WebhookEventSink(URI.create(receiver.url(SLACK_PATH)),
                        Map.of("Host", "apiKeySECRET6"))).getMessage());

        assertEquals("a webhook URL must be http:// or https:// with a host, got ftp://", messages.get(0));
        assertEquals("webhook http://127.0.0.1:" + receiver.port() + ": the URL or a header cannot be sent"
                + " (header names: Authorization)", messages.get(2));
        for (String m : messages) {
            assertNoSecret(m, "exception message");
        }
    }

    /**
     * Everything the sink and the fanout say — logs at every level, reasons, names, counts, exception messages — in
     * every kind of failure: no URL path or query, no header value, no response body (which echoes both).
     */
    @Test
    void theUrlsTokenAndHeaderValuesAppearInNoLogLineOrMessage() throws Exception {
        assertTrue(LoggerFactory.getLogger(EventFanout.class).isDebugEnabled(),
                "the events package logs at debug in the ITs (health-infrastructure/pom.xml), so debug lines are checked");
        String query = "?token=querySECRET4";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer headerSECRET5");
        headers.put("X-Api-Key", "apiKeySECRET6");
        List<String> said = new ArrayList<>();
        String logged;
        try (LogCapture log = new LogCapture()) {
            // refused for good (400), then retried and given up on (500, 500)
            receiver.answering(400, 500, 500);
            WebhookEventSink answering = new WebhookEventSink(URI.create(receiver.url(SLACK_PATH + query)), headers);
            // nothing listening
            WebhookEventSink refused = new WebhookEventSink(
                    URI.create("http://127.0.0.1:" + closedPort() + SLACK_PATH + query), headers);
            EventFanout fanout = new EventFanout(List.of(answering, refused), FAST.withMaxAttempts(2), Clock.systemUTC());
            fanout.publish(numbered(1));
            fanout.publish(numbered(2));
            EventFanout.CloseReport report = fanout.close(PATIENCE);
            said.add(report.toString());
            said.add(answering.name());
            said.add(refused.toString());

            // too slow: a request timeout
            receiver.holding();
            WebhookEventSink slow = new WebhookEventSink(URI.create(receiver.url(SLACK_PATH + query)), headers,
                    Duration.ofSeconds(5), Duration.ofMillis(200));
            said.add(slow.deliver(numbered(3)).toString());
            receiver.release();
            logged = log.text();

            assertEquals(2, report.sinks().get(0).failed());
            assertEquals(2, report.sinks().get(1).failed());
        }

        assertTrue(logged.contains("was refused (HTTP 400)"), logged);
        assertTrue(logged.contains("gave up on the status_changed event of server memory after 2 attempts: HTTP 500"),
                logged);
        assertTrue(logged.contains("connection refused"), logged);
        assertTrue(logged.contains("retrying in"), "debug lines were captured too: " + logged);
        assertTrue(said.get(said.size() - 1).contains("timed out"), said.toString());
        assertNoSecret(logged, "log");
        for (String s : said) {
            assertNoSecret(s, "message");
        }
    }

    @Test
    void anErrorTextThatQuotesTheUrlOrAHeaderIsRedacted() {
        WebhookEventSink sink = new WebhookEventSink(URI.create(receiver.url(SLACK_PATH + "?token=querySECRET4")),
                Map.of("Authorization", "Bearer headerSECRET5", "X-Api-Key", "apiKeySECRET6"));

        String said = sink.describe(new IOException("POST " + receiver.url(SLACK_PATH + "?token=querySECRET4")
                + " failed", new IllegalStateException("bad token headerSECRET5")));
        String cause = sink.describe(new IOException(null, new IllegalStateException("seen: headerSECRET5, "
                + "apiKeySECRET6, xoxbTOKENsecret3")));

        assertEquals("POST *** failed", said, "no class name either");
        assertEquals("seen: ***, ***, ***", cause);
    }

    private static void assertNoSecret(String text, String where) {
        for (String secret : List.of("T0SECRET1", "B0SECRET2", "xoxbTOKENsecret3", "querySECRET4", "headerSECRET5",
                "apiKeySECRET6", "/services")) {
            assertFalse(text.contains(secret), () -> where + " contains " + secret + ": " + text);
        }
    }

    /** A loopback port nobody listens on (a never-started HttpServer would still accept connections). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
