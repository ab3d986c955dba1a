package dev.mcphealth.infrastructure.auth;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
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

    private final HttpClient client;
    private final Duration timeout;

    AuthHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
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
        HttpResponse<String> r = exchange(b.build(), to);
        HTTPResponse out = new HTTPResponse(r.statusCode());
        r.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                out.setHeader(name, values.toArray(new String[0]));
            }
        });
        out.setBody(r.body());
        return out;
    }

    /** A GET of a JSON document: its status and body. */
    HttpResponse<String> get(URI uri, String what) {
        return exchange(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build(), what);
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
                .build(), "the server");
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            HttpResponse<String> r = client.send(request, info -> HttpResponse.BodySubscribers.mapping(
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
            throw new AuthorizationException("OAuth: " + what + " did not answer within " + timeout.toMillis()
                    + " ms");
        } catch (ConnectException e) {
            throw new AuthorizationException("OAuth: cannot connect to " + what + " (connection refused)");
        } catch (IOException e) {
            throw new AuthorizationException("OAuth: cannot reach " + what + " (the connection failed)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorizationException("OAuth: interrupted while asking " + what);
        } catch (IllegalArgumentException e) {
            throw new AuthorizationException("OAuth: " + what + " has an address that cannot be used");
        }
    }
}
