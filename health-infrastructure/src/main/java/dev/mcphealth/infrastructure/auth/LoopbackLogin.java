package dev.mcphealth.infrastructure.auth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A person's sign-in for the authorization code grant ({@code mcp-health auth login}): a one-request HTTP server on
 * 127.0.0.1 receives the authorization server's redirect (RFC 8252's loopback redirect), the address to open is given
 * to {@code show}, and the code that comes back (its {@code state} checked) is exchanged, with the PKCE verifier, for
 * tokens that the {@link OAuthClient} keeps in the token store. Nothing but the loopback interface is listened on.
 */
public final class LoopbackLogin {
    private LoopbackLogin() {
    }

    /**
     * @param port the loopback port to listen on (0: any free one; the authorization server must accept the
     *             redirect address, which some require to be registered with its port)
     * @param wait how long to wait for the person
     * @throws AuthorizationException when the sign-in fails or does not come within {@code wait}
     */
    public static OAuthClient.SignedIn login(OAuthClient client, int port, Duration wait, Consumer<String> show) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                    port), 0);
        } catch (IOException e) {
            throw new AuthorizationException("OAuth: cannot listen on 127.0.0.1:" + port + " for the sign-in's"
                    + " redirect (" + (port == 0 ? "no free port" : "in use?") + ")");
        }
        CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
        State state = new State();
        server.createContext("/callback", exchange -> callback(exchange, state, answer));
        server.start();
        try {
            URI redirect = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
            CodeVerifier verifier = new CodeVerifier();
            show.accept(client.authorizationRequest(redirect, verifier, state).toString());
            Map<String, String> params;
            try {
                params = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AuthorizationException("OAuth: no sign-in came back within " + wait.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new AuthorizationException("OAuth: the sign-in's redirect could not be read");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthorizationException("OAuth: interrupted while waiting for the sign-in");
            }
            if (params.containsKey("error")) {
                throw new AuthorizationException("OAuth: the authorization server refused the sign-in: "
                        + OAuthClient.printable(params.get("error"), 64) + (params.containsKey("error_description")
                        ? " (" + OAuthClient.printable(params.get("error_description"), 200) + ")" : ""));
            }
            String code = params.get("code");
            if (code == null || code.isBlank()) {
                throw new AuthorizationException("OAuth: the sign-in came back without a code");
            }
            return client.signIn(new AuthorizationCode(code), redirect, verifier);
        } finally {
            server.stop(0);
        }
    }

    /**
     * The redirect: its query parameters to the waiting login, a short page to the browser. Only a request with this
     * sign-in's {@code state} is its answer; any other (a stale tab, a page probing the port) gets 400 and the login
     * goes on waiting.
     */
    private static void callback(HttpExchange exchange, State state, CompletableFuture<Map<String, String>> answer)
            throws IOException {
        Map<String, String> params = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        boolean ours = state.getValue().equals(params.get("state"));
        boolean first = ours && answer.complete(params);
        byte[] page = ("<!doctype html><meta charset=utf-8><title>MCP Health</title><p>"
                + (!ours ? "This is not the sign-in MCP Health is waiting for."
                : !first ? "This sign-in was already answered."
                : params.containsKey("code") ? "Sign-in received. You can close this tab; the terminal says whether it worked."
                : "The sign-in did not succeed; the terminal says why.") + "</p>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(ours ? 200 : 400, page.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
        }
    }
}
