package dev.mcphealth.infrastructure.auth;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.mcphealth.infrastructure.http.LazyHttpClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP under the OAuth client: Nimbus builds and parses the protocol's requests and responses, the JDK's client
 * sends them. HTTP/1.1, a timeout on every request, and no redirect followed (a redirect may lead anywhere, and a
 * token request carries the client's secret). Answers are read up to {@link #MAX_BODY} characters.
 */
final class AuthHttp {
    /** The most of an answer read: metadata and token responses are a few kilobytes. */
    static final int MAX_BODY = 256 * 1024;

    private final LazyHttpClient client;
    private final Duration timeout;

    AuthHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = new LazyHttpClient(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build());
    }

    /** Sends a request Nimbus built; {@code to} names its target in a failure ("the token endpoint of X"). */
    HTTPResponse send(HTTPRequest request, String to) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.getURI()).timeout(timeout);
        request.getHeaderMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        String body = request.getBody();
        b.method(request.getMethod().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> r = exchange(b.build(), to, false);
        HTTPResponse out = new HTTPResponse(r.statusCode());
        r.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                out.setHeader(name, values.toArray(new String[0]));
            }
        });
        out.setBody(r.body());
        return out;
    }

    /** A GET of a JSON document: its status and body ({@code ofServer}: from the MCP server itself). */
    HttpResponse<String> get(URI uri, String what, boolean ofServer) {
        return exchange(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build(), what, ofServer);
    }

    /**
     * A POST of a JSON-RPC ping without credentials, to read the server's challenge (its {@code WWW-Authenticate})
     * when it publishes no metadata at the well-known address.
     */
    HttpResponse<String> unauthenticatedPing(URI server) {
        return exchange(HttpRequest.newBuilder(server).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"ping\"}"))
                .build(), "the server", true);
    }

    /**
     * @param ofServer whether {@code request} goes to the MCP server itself: a connection that fails is then the
     *                 server's (a connection error), not its authorization's
     */
    private HttpResponse<String> exchange(HttpRequest request, String what, boolean ofServer) {
        try {
            HttpResponse<String> r = client.get().send(request, info -> HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofInputStream(), in -> {
                        try (in) {
                            byte[] bytes = in.readNBytes(MAX_BODY);
                            return new String(bytes, StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            return "";
                        }
                    }));
            return r;
        } catch (HttpTimeoutException e) {
            throw failure("OAuth: " + what + " did not answer within " + timeout.toMillis() + " ms", ofServer);
        } catch (ConnectException e) {
            throw failure(ofServer ? "connection refused while looking up its authorization"
                    : "OAuth: cannot connect to " + what + " (connection refused)", ofServer);
        } catch (IOException e) {
            throw failure(ofServer ? "the connection failed while looking up its authorization"
                    : "OAuth: cannot reach " + what + " (the connection failed)", ofServer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorizationException("OAuth: interrupted while asking " + what);
        } catch (IllegalArgumentException e) {
            throw new AuthorizationException("OAuth: " + what + " has an address that cannot be used");
        }
    }

    private static AuthorizationException failure(String message, boolean ofServer) {
        return ofServer ? AuthorizationException.serverUnreachable(message) : new AuthorizationException(message);
    }
}
