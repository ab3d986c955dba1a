package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.infrastructure.auth.AuthorizationException;
import dev.mcphealth.infrastructure.auth.OAuthClient;
import dev.mcphealth.infrastructure.auth.OAuthClients;
import dev.mcphealth.infrastructure.config.Endpoint;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Opens connections: our own stdio transport, or the SDK's streamable HTTP and SSE transports. The HTTP transports
 * share one JDK {@link HttpClient} per connect timeout instead of building one each: a client owns a selector thread
 * and a worker pool, so one per session meant four to five threads per watched server and most of the probe's CPU
 * going to waking them (docs/benchmarks.md, "Watching many servers"). The SDK only sends through the client and never
 * closes it, so sharing is safe; sessions are told apart by their session id header, not by the TCP connection.
 */
final class Transports {
    private final McpJsonMapper mapper;
    private final OAuthClients oauth;
    private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();

    /** What tells the shared clients apart: the connect timeout, and whether the URLs are https (cleartext: no TLS). */
    private record ClientKey(Duration connectTimeout, boolean tls) {
    }

    Transports(McpJsonMapper mapper, OAuthClients oauth) {
        this.mapper = mapper;
        this.oauth = oauth;
    }

    /**
     * Opens a connection to server {@code name}. A server whose requests are authorized with OAuth gets its token
     * first (so that no request goes out without one), then every request carries the token held at the time, renewed
     * before it expires; a request the server refuses (401, or 403 {@code insufficient_scope}) is sent once more with
     * a new token (streamable HTTP: the SDK's hook; the older SSE transport has none, so there the next probe does).
     *
     * @throws ServerStartException when a stdio command cannot start
     * @throws AuthorizationException when no access token can be obtained
     */
    @SuppressWarnings("deprecation") // HTTP+SSE is deprecated by the protocol, and still what some servers speak
    Connection open(String name, Endpoint endpoint, Duration connectTimeout) {
        if (endpoint instanceof Endpoint.Stdio stdio) {
            ProcessStdioTransport transport = new ProcessStdioTransport(stdio, mapper);
            transport.start();
            return Connection.over(transport);
        }
        if (endpoint instanceof Endpoint.Http http) {
            URI url = http.url();
            String base = url.getScheme() + "://" + url.getRawAuthority();
            String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            McpSyncHttpClientRequestCustomizer headers = (builder, method, uri, body, context) ->
                    http.headers().forEach(builder::setHeader);
            Optional<OAuthClient> client = oauth.forServer(name, http);
            client.ifPresent(c -> tokenWithin(c, connectTimeout));
            McpAsyncHttpClientRequestCustomizer token = client.isEmpty() ? McpAsyncHttpClientRequestCustomizer.NOOP
                    : (builder, method, uri, body, context) -> withToken(client.get(), builder);
            if (http.sse()) {
                return Connection.over(HttpClientSseClientTransport.builder(base).sseEndpoint(path).jsonMapper(mapper)
                        .connectTimeout(connectTimeout).clientBuilder(shared(connectTimeout, url))
                        .addHttpRequestCustomizer(headers).addAsyncHttpRequestCustomizer(token).build());
            }
            // A fresh transport per connection: the SDK's keeps a failed first POST's (null) session id.
            HttpClientStreamableHttpTransport.Builder b = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint(path).jsonMapper(mapper).connectTimeout(connectTimeout)
                    .clientBuilder(shared(connectTimeout, url)).addHttpRequestCustomizer(headers)
                    .addAsyncHttpRequestCustomizer(token);
            client.ifPresent(c -> b.authorizationErrorHandler((request, response, context) -> Mono.fromCallable(
                    () -> c.rejected(response.statusCode(), request.headers().firstValue("Authorization"),
                            response.headers().firstValue("WWW-Authenticate")))
                    .subscribeOn(Schedulers.boundedElastic())));
            return Connection.over(b.build());
        }
        throw new IllegalArgumentException("unknown endpoint " + endpoint);
    }

    /**
     * A token before the session opens, within the connect timeout: discovery and a token request may take several
     * requests to servers that answer slowly, and the probe must not wait past its own limit (the request goes on in
     * the background, and its token is there for the next open). The token held, or the one obtained.
     */
    static String tokenWithin(OAuthClient client, Duration connectTimeout) {
        Optional<String> held = client.heldToken();
        if (held.isPresent()) {
            return held.get();
        }
        return authorizationWithin(client::accessToken, connectTimeout, "OAuth: no access token within "
                + connectTimeout.toMillis() + " ms (the authorization server is slow to answer); tried again at the"
                + " next connect");
    }

    /**
     * {@code call} (blocking: an authorization server asked) off the caller's thread, waited for at most
     * {@code timeout} (it goes on in the background after that).
     *
     * @throws AuthorizationException saying {@code late} when it has not ended in time, or why it failed
     */
    static <T> T authorizationWithin(java.util.function.Supplier<T> call, Duration timeout, String late) {
        java.util.concurrent.CompletableFuture<T> answer;
        try {
            answer = java.util.concurrent.CompletableFuture.supplyAsync(call, Schedulers.boundedElastic()::schedule);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new AuthorizationException("OAuth: too many token requests under way; tried again at the next"
                    + " connect");
        }
        try {
            return answer.get(Math.max(1, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AuthorizationException(late);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AuthorizationException("OAuth: no access token could be obtained");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorizationException("OAuth: interrupted while obtaining an access token");
        }
    }

    /**
     * The request with the server's token: the one held when it is good for a while yet (no waiting), else one
     * obtained off the reactive threads (a token request is blocking HTTP).
     */
    private static Mono<HttpRequest.Builder> withToken(OAuthClient client, HttpRequest.Builder builder) {
        Optional<String> held = client.heldToken();
        if (held.isPresent()) {
            return Mono.just(builder.setHeader("Authorization", "Bearer " + held.get()));
        }
        return Mono.fromCallable(() -> builder.setHeader("Authorization", "Bearer " + client.accessToken()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The shared client for this connect timeout, behind a builder whose {@code build()} hands it out (the SDK's
     * transport builders take a builder, not a client). HTTP/1.1 only: the JDK client otherwise offers an h2c upgrade
     * on cleartext connections, which Node servers answer by closing the connection under an open SSE stream ("header
     * parser received no bytes"). Redirects are never followed (the JDK's default, said here so that no change of
     * default or builder turns it on): a redirect may lead anywhere, off this machine too, and the SDK would send the
     * configured headers, credentials included, wherever it leads. A 3xx is reported as such instead
     * ({@link FailureClassifier}), so that the person fixes the URL. A client for {@code http://} URLs has no TLS set
     * up ({@link NoTls}).
     */
    private HttpClient.Builder shared(Duration connectTimeout, URI url) {
        ClientKey key = new ClientKey(connectTimeout, !NoTls.cleartext(url));
        HttpClient client = clients.computeIfAbsent(key, k -> {
            HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(k.connectTimeout());
            if (!k.tls()) {
                NoTls.without(b);
            }
            return b.build();
        });
        return new SharedClient(client);
    }

    /** A builder that ignores its settings and builds the one client it was given. */
    private record SharedClient(HttpClient client) implements HttpClient.Builder {
        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
            return this;
        }

        @Override
        public HttpClient.Builder version(HttpClient.Version version) {
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            return this;
        }

        @Override
        public HttpClient build() {
            return client;
        }
    }
}
