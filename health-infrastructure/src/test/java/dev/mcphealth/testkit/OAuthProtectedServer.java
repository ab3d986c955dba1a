package dev.mcphealth.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OAuth authorization server (oauth2-mock-server from npm) protecting a real MCP server on
 * {@code @modelcontextprotocol/sdk} behind the SDK's bearer-auth middleware
 * ({@code src/test/resources/servers/oauth-protected-server.mjs}), on loopback ports of their own. It checks client
 * secrets, client assertions, PKCE and refresh tokens as a real one does, and can revoke a client or shorten token
 * lifetimes while it runs. The MCP server has one tool, {@code echo}.
 */
public final class OAuthProtectedServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final JsonNode ready;
    private final List<String> log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private OAuthProtectedServer(Process process, JsonNode ready, List<String> log) {
        this.process = process;
        this.ready = ready;
        this.log = log;
    }

    /** Settings of the server: the environment its script reads (see the script's header). */
    public static final class Builder {
        private final Map<String, String> env = new LinkedHashMap<>();

        /** Scopes a token must have (space separated; "" for none); "mcp:tools" unless said. */
        public Builder requiredScopes(String scopes) {
            env.put("REQUIRED_SCOPES", scopes);
            return this;
        }

        /** A confidential client that authenticates with this secret. */
        public Builder client(String id, String secret) {
            env.merge("CLIENT_SECRETS", id + ":" + secret, (a, b) -> a + "," + b);
            return this;
        }

        /** A client that authenticates with private_key_jwt, its public key in a PEM file. */
        public Builder clientKey(String id, Path publicKeyPem) {
            env.merge("CLIENT_PUBLIC_KEYS", id + "=" + publicKeyPem, (a, b) -> a + "," + b);
            return this;
        }

        public Builder tokenLifetime(Duration lifetime) {
            env.put("TOKEN_TTL_SECONDS", Long.toString(lifetime.toSeconds()));
            return this;
        }

        /** A refresh answers no new refresh token: the old one stays good (RFC 6749 §6 allows either). */
        public Builder noRefreshRotation() {
            env.put("ROTATE_REFRESH", "0");
            return this;
        }

        /** {@code clientId} may be granted only these scopes (space separated); asking for others: invalid_scope. */
        public Builder allowedScopes(String clientId, String scopes) {
            env.merge("ALLOWED_SCOPES", clientId + "=" + scopes, (a, b) -> a + ";" + b);
            return this;
        }

        /**
         * The MCP SDK's own authorization server instead of oauth2-mock-server: dynamic client registration (RFC 7591),
         * the authorization code grant with PKCE approved at once, opaque tokens, no refresh; no controls.
         */
        public Builder sdkAuthorizationServer() {
            env.put("AS", "sdk");
            return this;
        }

        /** The MCP server takes only tokens whose audience is its own URL (RFC 8707). */
        public Builder expectResource() {
            env.put("EXPECT_RESOURCE", "1");
            return this;
        }

        public OAuthProtectedServer start() {
            ProcessBuilder pb = new ProcessBuilder("node", RepoPaths.root().resolve(
                    "health-infrastructure/src/test/resources/servers/oauth-protected-server.mjs").toString())
                    .directory(RepoPaths.root().toFile());
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread err = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        log.add(line);
                    }
                } catch (IOException ignored) {
                    // ended
                }
            }, "oauth-server-stderr");
            err.setDaemon(true);
            err.start();
            CompletableFuture<JsonNode> line = CompletableFuture.supplyAsync(() -> {
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                try {
                    String first = r.readLine();
                    if (first == null) {
                        throw new IllegalStateException("the OAuth-protected server ended before it was ready: "
                                + log);
                    }
                    return JSON.readTree(first);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                return new OAuthProtectedServer(p, line.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), log);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new IllegalStateException("the OAuth-protected server did not start: " + log, e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The MCP server's streamable HTTP endpoint. */
    public URI mcpUrl() {
        return URI.create(ready.get("mcpUrl").asString());
    }

    /** The authorization server's issuer. */
    public URI issuer() {
        return URI.create(ready.get("issuer").asString());
    }

    /** The authorization server refuses {@code clientId} from now on (invalid_client). */
    public void revoke(String clientId) {
        control("revoke", "client_id", clientId);
    }

    public void restore(String clientId) {
        control("restore", "client_id", clientId);
    }

    /** The scopes the MCP server requires from now on (space separated). */
    public void require(String scopes) {
        control("require", "scopes", scopes);
    }

    /**
     * Plays a person's browser: opens the authorization address (the authorization server signs in at once) and
     * follows its redirect to the loopback address the sign-in waits at.
     */
    public static void signInAt(String address) {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<String> toCallback = browser.send(HttpRequest.newBuilder(URI.create(address)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String back = toCallback.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
                    "the authorization server did not redirect: HTTP " + toCallback.statusCode()));
            browser.send(HttpRequest.newBuilder(URI.create(back)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Tokens issued from now on live {@code lifetime}. */
    public void tokenLifetime(Duration lifetime) {
        control("ttl", "seconds", Long.toString(lifetime.toSeconds()));
    }

    /** What the servers wrote to stderr. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void control(String what, String key, String value) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(issuer() + "/_rig/" + what))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + " answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // it exits when its stdin closes
        } catch (IOException ignored) {
            // gone already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
