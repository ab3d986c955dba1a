package dev.mcphealth.infrastructure.auth;

import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.OAuthSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OAuthClient} per server and settings, shared by everything that talks to it (the probe, the gateway's
 * calls, the orchestrator's): a token obtained for one is used by all. The authorization code grant's tokens are kept
 * in the {@link TokenStore}.
 */
public final class OAuthClients {
    /** How long a request to an authorization server may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Key(String name, URI url, OAuthSettings settings) {
    }

    private final Map<Key, OAuthClient> clients = new ConcurrentHashMap<>();
    private final Clock clock;
    private final TokenStore store;
    private final AuthHttp http;

    public OAuthClients(Clock clock, TokenStore store, Duration timeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.http = new AuthHttp(timeout);
    }

    /** The client of server {@code name} at {@code endpoint}, when its requests are authorized with OAuth. */
    public Optional<OAuthClient> forServer(String name, Endpoint.Http endpoint) {
        return endpoint.oauth().map(settings -> clients.computeIfAbsent(new Key(name, endpoint.url(), settings),
                k -> new OAuthClient(name, endpoint.url(), settings, http, Optional.of(store), clock)));
    }

    public TokenStore store() {
        return store;
    }
}
