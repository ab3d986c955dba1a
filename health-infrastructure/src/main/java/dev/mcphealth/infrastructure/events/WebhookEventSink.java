package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * POSTs each event to a URL as JSON that a Slack incoming webhook accepts: {@code {"text": "<one human line>",
 * "event": {<EventJson>}}}, with optional extra headers (an {@code Authorization}, say). HTTP/1.1, redirects not
 * followed. 2xx is delivered; 408, 429, 5xx and I/O errors are worth retrying (429's {@code Retry-After} in seconds is
 * passed on); any other status is refused for good.
 *
 * <p>The URL (a Slack URL carries its token in the path), the header values and the response body are secrets: the
 * sink is named by scheme, host and port only, the body is never read, and no message it produces contains them.
 */
public final class WebhookEventSink implements EventSink {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final Map<String, String> headers;
    private final Duration requestTimeout;
    private final String name;
    private final Redactor redactor;
    private final HttpClient client;

    /** With the default timeouts: 5 s to connect, 10 s for the whole request. */
    public WebhookEventSink(URI url, Map<String, String> headers) {
        this(url, headers, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param url            http or https, with a host
     * @param headers        sent with every request (they replace {@code Content-Type} and {@code User-Agent} if named)
     * @throws IllegalArgumentException for a URL or header the client cannot send; the message holds neither the URL
     *                                  nor any header value
     */
    public WebhookEventSink(URI url, Map<String, String> headers, Duration connectTimeout, Duration requestTimeout) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(requestTimeout, "request timeout");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("a webhook URL must be http:// or https:// with a host"
                    + (scheme.isEmpty() || scheme.equals("http") || scheme.equals("https") ? "" : ", got " + scheme + "://"));
        }
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.requestTimeout = requestTimeout;
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        this.name = "webhook " + scheme + "://" + url.getHost() + ":" + port;
        this.redactor = new Redactor(secrets(url, this.headers));
        try {
            request("{}");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": the URL or a header cannot be sent (header names: "
                    + String.join(", ", new java.util.TreeSet<>(this.headers.keySet())) + ")");
        }
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("the webhook's " + what + " must be positive, got " + d);
        }
    }

    /**
     * What an error text must never show: the header values as {@link Endpoint.Http} sees them (whole, word by word,
     * Basic credentials decoded, the URL's user info and query), plus the URL and its path, whole and segment by segment.
     */
    private static List<String> secrets(URI url, Map<String, String> headers) {
        List<String> secrets = new ArrayList<>(new Endpoint.Http(url, headers, false).secrets());
        secrets.add(url.toString());
        secrets.add(url.getRawPath());
        secrets.add(url.getPath());
        secrets.add(url.getRawQuery());
        secrets.add(url.getQuery());
        secrets.add(url.getRawUserInfo());
        secrets.add(url.getRawFragment());
        if (url.getRawPath() != null) {
            secrets.addAll(List.of(url.getRawPath().split("/")));
        }
        return secrets;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery deliver(MonitorEvent event) {
        ObjectNode body = EventJson.objectNode();
        body.put("text", EventText.line(event));
        body.set("event", EventJson.node(event));
        try {
            HttpResponse<Void> response = client.send(request(EventJson.write(body)),
                    HttpResponse.BodyHandlers.discarding());
            return classify(response.statusCode(), response.headers().firstValue("Retry-After"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.retryable("interrupted");
        } catch (IOException | RuntimeException e) {
            return Delivery.retryable(describe(e));
        }
    }

    private HttpRequest request(String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setHeader("User-Agent", "mcp-health");
        headers.forEach(b::setHeader);
        return b.POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    static Delivery classify(int status, Optional<String> retryAfter) {
        if (status >= 200 && status < 300) {
            return Delivery.delivered();
        }
        String reason = "HTTP " + status;
        if (status == 429 || status == 408 || status >= 500) {
            Optional<Duration> wait = retryAfter.flatMap(WebhookEventSink::seconds);
            return wait.isPresent() ? Delivery.retryable(reason, wait.get()) : Delivery.retryable(reason);
        }
        if (status >= 300 && status < 400) {
            return Delivery.rejected(reason + " (redirects are not followed)");
        }
        return Delivery.rejected(reason);
    }

    /** Retry-After in seconds; an HTTP date is ignored (the backoff applies). */
    private static Optional<Duration> seconds(String value) {
        try {
            long s = Long.parseLong(value.trim());
            return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The first message in the exception's cause chain, with every secret replaced by ***; never a class name (a
     * message that shows one reads "an internal error").
     */
    String describe(Exception e) {
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause()) {
            message = t.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        if (message == null || message.isBlank()) {
            return e instanceof java.net.http.HttpTimeoutException ? "timed out" : "the request failed";
        }
        String safe = redactor.redact(message);
        return dev.mcphealth.domain.model.Printable.revealsCode(safe) >= 0 ? "an internal error" : safe;
    }

    @Override
    public String toString() {
        return name;
    }
}
