package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.adapter.cli.AuthSessions;
import dev.mcphealth.adapter.cli.UsageProblem;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.auth.AuthorizationException;
import dev.mcphealth.infrastructure.auth.LoopbackLogin;
import dev.mcphealth.infrastructure.auth.OAuthClient;
import dev.mcphealth.infrastructure.auth.OAuthClients;
import dev.mcphealth.infrastructure.auth.TokenStore;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.config.OAuthSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code mcp-health auth} over the configuration and the token store; every failure a {@link UsageProblem}. */
final class ComponentAuthSessions implements AuthSessions {
    private final Map<String, String> env;
    private final Clock clock;
    /** Made on first use: its JSON mapper is tens of ms of every command's start (--help's too) otherwise. */
    private TokenStore store;

    ComponentAuthSessions(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    private synchronized TokenStore store() {
        if (store == null) {
            store = TokenStore.standard(env);
        }
        return store;
    }

    @Override
    public Path tokenFile() {
        return store().file();
    }

    @Override
    public List<State> status(Path config, Optional<String> server) {
        HealthConfig c = load(config);
        List<State> out = new ArrayList<>();
        OAuthClients clients = new OAuthClients(clock, store(), OAuthClients.TIMEOUT);
        for (MonitoredServer s : c.servers()) {
            if (server.isPresent() && !server.get().equals(s.id().value())) {
                continue;
            }
            Optional<Endpoint> e = c.endpoint(s.id());
            if (e.isEmpty() || !(e.get() instanceof Endpoint.Http http) || http.oauth().isEmpty()) {
                continue;
            }
            OAuthSettings settings = http.oauth().get();
            OAuthClient client = clients.forServer(s.id().value(), http).orElseThrow();
            Optional<TokenStore.Saved> saved = settings.grant() == OAuthSettings.Grant.AUTHORIZATION_CODE
                    ? read(client) : Optional.empty();
            out.add(new State(s.id().value(), settings.grant().code(),
                    settings.clientId().or(() -> saved.map(TokenStore.Saved::clientId)),
                    saved.isPresent(), saved.flatMap(TokenStore.Saved::refreshToken).isPresent(),
                    saved.flatMap(TokenStore.Saved::expiresAt),
                    saved.map(TokenStore.Saved::scopes).orElse(settings.scopes())));
        }
        if (server.isPresent() && out.isEmpty()) {
            throw new UsageProblem(oauthServer(c, server.get(), config), null);
        }
        return out;
    }

    @Override
    public SignedIn login(Path config, String server, int port, Duration wait, Consumer<String> show) {
        OAuthClient client = client(config, server);
        try {
            OAuthClient.SignedIn in = LoopbackLogin.login(client, port, wait, show);
            return new SignedIn(server, in.issuer(), in.clientId(), in.refreshable(), in.scopes(), store().file());
        } catch (AuthorizationException e) {
            // an authorization server's words may echo what was sent, and a failure quotes the server's URL: redacted
            // of the client's secret and tokens and of the endpoint's own (a password in its URL, its headers)
            java.util.List<String> secrets = new ArrayList<>(client.secrets());
            load(config).endpoint(ServerId.of(server)).ifPresent(endpoint -> secrets.addAll(endpoint.secrets()));
            throw new UsageProblem(new dev.mcphealth.infrastructure.config.Redactor(secrets).redact(e.getMessage()),
                    null);
        }
    }

    @Override
    public boolean logout(Path config, String server) {
        OAuthClient client = client(config, server);
        try {
            return store().forget(client.resource());
        } catch (AuthorizationException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
    }

    private Optional<TokenStore.Saved> read(OAuthClient client) {
        try {
            return store().read(client.resource());
        } catch (AuthorizationException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
    }

    private OAuthClient client(Path config, String server) {
        HealthConfig c = load(config);
        ServerId id;
        try {
            id = ServerId.of(server);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem("no server named " + dev.mcphealth.domain.model.Printable.quote(server) + " in "
                    + config, e);
        }
        Optional<Endpoint> e = c.endpoint(id);
        if (e.isPresent() && e.get() instanceof Endpoint.Http http && http.oauth().isPresent()) {
            return new OAuthClients(clock, store(), OAuthClients.TIMEOUT).forServer(server, http).orElseThrow();
        }
        throw new UsageProblem(oauthServer(c, server, config), null);
    }

    /** Why {@code server} is not one to sign in to: unknown, or without OAuth settings. */
    private static String oauthServer(HealthConfig c, String server, Path config) {
        boolean known = c.servers().stream().anyMatch(s -> s.id().value().equals(server));
        return known ? server + " does not use OAuth: give it health.servers." + server + ".auth in " + config
                + " (docs/authorization.md)"
                : "no server named " + dev.mcphealth.domain.model.Printable.quote(server) + " in " + config;
    }

    private HealthConfig load(Path config) {
        try {
            return new ConfigLoader(env::get).load(config);
        } catch (ConfigException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
    }
}
