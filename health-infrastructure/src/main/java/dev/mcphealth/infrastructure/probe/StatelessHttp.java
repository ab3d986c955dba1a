package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.infrastructure.http.LazyHttpClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests of the 2026-07-28 protocol revision over streamable HTTP, as the probe sends them ({@link StatelessProbe}):
 * each request a POST of its own, with no initialize and no session; the protocol version, the client's capabilities
 * and its name in {@code params._meta}, mirrored in the {@code MCP-Protocol-Version}, {@code Mcp-Method} and
 * {@code Mcp-Name} headers (set after the configured headers, which cannot replace them). The answer is a JSON body,
 * or an SSE stream whose event answering the request's id is taken as soon as it is complete. The whole exchange,
 * body included, ends by the deadline given, and a body over {@link ProcessStdioTransport#MAX_MESSAGE} bytes is
 * refused. Redirects are not followed (the configured headers may carry credentials).
 */
final class StatelessHttp implements AutoCloseable {
    static final String VERSION = dev.mcphealth.domain.model.Handshake.STATELESS_REVISION;
    static final String META = "io.modelcontextprotocol/";
    private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
    };
    private static final AtomicLong IDS = new AtomicLong();

    /** An answer: the HTTP status, and the JSON-RPC result or error (neither when the body was no answer to it). */
    record Answer(int status, Optional<Map<String, Object>> result, Optional<Map<String, Object>> error,
                  Optional<String> wwwAuthenticate) {
        /** The error's code, when the answer is a JSON-RPC error with an integer code. */
        Optional<Integer> errorCode() {
            return error.flatMap(e -> e.get("code") instanceof Number n ? Optional.of(n.intValue()) : Optional.empty());
        }
    }

    /** The HTTP client's own work (short callbacks): a few threads for any number of servers. */
    private final ExecutorService io = Executors.newFixedThreadPool(2, daemons("mcp-health-stateless-http"));
    private final LazyHttpClient tls = new LazyHttpClient(() -> builder().build());
    /** For {@code http://} URLs: no TLS set up ({@link NoTls}). */
    private final LazyHttpClient cleartext = new LazyHttpClient(() -> NoTls.without(builder()).build());

    private HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .executor(io);
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private final McpJsonMapper mapper;
    private final Map<String, Object> clientInfo;

    StatelessHttp(McpJsonMapper mapper, String name, String version) {
        this.mapper = mapper;
        this.clientInfo = Map.of("name", name, "version", version);
    }

    /**
     * Sends {@code method} with {@code params} to {@code url}, answered within {@code timeout} (connection, headers
     * and body); {@code headers} are the configured ones (an Authorization header among them when the server takes a
     * token).
     *
     * @throws HttpTimeoutException when the whole answer is not there in time
     * @throws IOException when the connection fails or the body is over the limit
     */
    Answer request(URI url, Map<String, String> headers, String method, Map<String, Object> params,
                   Duration timeout) throws IOException, InterruptedException {
        long id = IDS.incrementAndGet();
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout);
        headers.forEach(b::setHeader);
        b.setHeader("Content-Type", "application/json")
                .setHeader("Accept", "application/json, text/event-stream")
                .setHeader("MCP-Protocol-Version", VERSION)
                .setHeader("Mcp-Method", method);
        Object name = "resources/read".equals(method) ? params.get("uri") : params.get("name");
        if (name instanceof String n && ("tools/call".equals(method) || "prompts/get".equals(method)
                || "resources/read".equals(method))) {
            b.setHeader("Mcp-Name", n);
        }
        HttpRequest request = b.POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(
                envelope(id, method, params)), StandardCharsets.UTF_8)).build();
        HttpClient client = (NoTls.cleartext(url) ? cleartext : tls).get();
        CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request, info -> new Limited(id,
                info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT)
                        .startsWith("text/event-stream")));
        HttpResponse<String> r;
        try {
            r = sent.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause() == null ? "the request failed" : e.getCause().getMessage(),
                    e.getCause());
        }
        Map<String, Object> answer = Map.of();
        String text = r.body();
        try {
            answer = text == null || text.isBlank() ? Map.of() : mapper.readValue(text, OBJECT);
        } catch (IOException | RuntimeException notJson) {
            // no JSON-RPC answer: the status and the body's start say what it was
        }
        boolean ours = answer.get("id") instanceof Number n && n.longValue() == id;
        return new Answer(r.statusCode(), ours ? object(answer.get("result")) : Optional.empty(),
                ours || answer.get("id") == null ? object(answer.get("error")) : Optional.empty(),
                r.headers().firstValue("WWW-Authenticate"));
    }

    /**
     * {@code params} in the revision's envelope: its {@code _meta} (kept, when there is one, such as a progress token)
     * with the protocol version, the client's capabilities (none) and its name.
     */
    static Map<String, Object> withMeta(Map<String, Object> params, Map<String, Object> clientInfo) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        Map<String, Object> meta = new LinkedHashMap<>();
        if (p.get("_meta") instanceof Map<?, ?> kept) {
            kept.forEach((k, v) -> meta.put(String.valueOf(k), v));
        }
        meta.put(META + "protocolVersion", VERSION);
        meta.put(META + "clientCapabilities", Map.of());
        meta.put(META + "clientInfo", clientInfo);
        p.put("_meta", meta);
        return p;
    }

    private Map<String, Object> envelope(long id, String method, Map<String, Object> params) {
        Map<String, Object> p = withMeta(params, clientInfo);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("method", method);
        body.put("params", p);
        return body;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }

    /**
     * Reads a body up to the limit: its text, or for an SSE stream the data of the event answering {@code id}, read
     * only until that event is complete (the server may keep the stream open after it); null when there was none.
     */
    private final class Limited implements HttpResponse.BodySubscriber<String> {
        private final long id;
        private final boolean sse;
        private final CompletableFuture<String> body = new CompletableFuture<>();
        /** The body (not kept for a stream, whose events are parsed as they come). */
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long received;
        private final SseLines events;
        private Flow.Subscription subscription;

        Limited(long id, boolean sse) {
            this.id = id;
            this.sse = sse;
            this.events = sse ? new SseLines(this::event) : null;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                received += n;
                if (received > ProcessStdioTransport.MAX_MESSAGE) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer was over the limit of "
                            + ProcessStdioTransport.MAX_MESSAGE + " bytes"));
                    return;
                }
                byte[] chunk = new byte[n];
                item.get(chunk);
                if (!sse) {
                    bytes.write(chunk, 0, n);
                    continue;
                }
                events.feed(chunk);
                if (body.isDone()) {
                    subscription.cancel();
                    return;
                }
            }
            subscription.request(1);
        }

        private void event(String data) {
            if (data.indexOf("\"id\"") < 0) {
                return;
            }
            try {
                Map<String, Object> m = mapper.readValue(data, OBJECT);
                if (m.get("id") instanceof Number n && n.longValue() == id) {
                    body.complete(data);
                }
            } catch (IOException | RuntimeException another) {
                // not the answer: a notification, a request of the server's, or no JSON
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (sse) {
                events.end();
            }
            body.complete(sse ? null : bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> object(Object o) {
        return o instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
    }
}
