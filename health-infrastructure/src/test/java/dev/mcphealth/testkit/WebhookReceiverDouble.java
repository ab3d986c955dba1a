package dev.mcphealth.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A TEST DOUBLE of a webhook receiver (a Slack incoming webhook, a pager's endpoint) on 127.0.0.1: records every
 * request, answers scripted statuses in order (then a default, 200 unless told), and can hold requests until released,
 * like a slow receiver. Like careless real receivers, its response body echoes the path and the Authorization header it
 * was sent, so a test can show that a client never repeats a response body.
 */
public final class WebhookReceiverDouble implements AutoCloseable {
    /** How long a held request waits at most, so a forgotten release never hangs a build. */
    private static final Duration MAX_HOLD = Duration.ofSeconds(60);

    /** One request as received. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Semaphore received = new Semaphore(0);
    private volatile int otherwise = 200;
    private volatile String retryAfter;
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private WebhookReceiverDouble(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static WebhookReceiverDouble start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "webhook-receiver-double");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            WebhookReceiverDouble d = new WebhookReceiverDouble(server, executor);
            server.createContext("/", d::handle);
            server.start();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next requests get these statuses, in order; later ones get the default. */
    public WebhookReceiverDouble answering(int... statuses) {
        for (int s : statuses) {
            script.add(s);
        }
        return this;
    }

    /** The status for requests beyond the script. */
    public WebhookReceiverDouble otherwise(int status) {
        otherwise = status;
        return this;
    }

    /** A Retry-After header on every non-2xx answer. */
    public WebhookReceiverDouble withRetryAfter(String value) {
        retryAfter = value;
        return this;
    }

    /** Requests from now on are recorded at once but answered only after {@link #release()}. */
    public WebhookReceiverDouble holding() {
        hold = new CountDownLatch(1);
        return this;
    }

    public void release() {
        hold.countDown();
    }

    /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until {@code n} more requests than already awaited have arrived. */
    public boolean awaitRequests(int n, Duration timeout) throws InterruptedException {
        return received.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Headers headers = exchange.getRequestHeaders();
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                Map.copyOf(headers), body));
        received.release();
        try {
            hold.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Integer scripted = script.poll();
        int status = scripted == null ? otherwise : scripted;
        String authorization = headers.getFirst("Authorization");
        byte[] answer = ("{\"ok\":" + (status / 100 == 2) + ",\"path\":\"" + exchange.getRequestURI().getRawPath()
                + "\",\"seen\":\"" + (authorization == null ? "" : authorization) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null && status / 100 != 2) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        try {
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException e) {
            // the client gave up (its request timed out): nothing to answer
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
