package dev.mcphealth.infrastructure.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.mcphealth.infrastructure.config.OAuthSettings;
import java.net.URI;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth client of one remote server (docs/authorization.md): finds its authorization server, obtains an access
 * token with the configured grant, keeps it, and obtains the next one before it expires, so that a token that runs out
 * is never an outage. A token the server refuses (401) is dropped and obtained again; a 403 {@code insufficient_scope}
 * adds the scopes its challenge names to those asked for (step-up). Tokens are bound to the server with the
 * {@code resource} parameter (RFC 8707). The authorization code grant's refresh token is kept in the
 * {@link TokenStore}; a person signs in once with {@code mcp-health auth login}.
 *
 * <p>Every failure is an {@link AuthorizationException} whose message names the server's authorization server and what
 * it answered, never a secret or a token. Thread-safe: one token request at a time.
 */
public final class OAuthClient {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OAuthClient.class);
    /** The longest a token is renewed before it expires. */
    static final Duration MAX_AHEAD = Duration.ofSeconds(60);

    private final String name;
    private final URI server;
    private final OAuthSettings settings;
    private final AuthHttp http;
    private final Optional<TokenStore> store;
    private final Clock clock;
    private final URI resource;

    private AuthorizationServerMetadata metadata;
    /** Where the server's protected resource metadata was found. */
    private Optional<URI> metadataAt = Optional.empty();
    private List<String> scopesSupported = List.of();
    /** The scopes asked for: the configured ones, and those a step-up added. */
    private final Set<String> scopes = new LinkedHashSet<>();
    private volatile Token token;
    /** Tokens held before the current one, still redacted from what servers say (a server may echo an old one). */
    private final java.util.Deque<String> previous = new java.util.concurrent.ConcurrentLinkedDeque<>();

    /** How many earlier tokens are still redacted. */
    private static final int PREVIOUS_KEPT = 4;
    /**
     * A token obtained to replace a refused one, and refused in turn within this time, is not replaced again at once:
     * the server refuses it for another reason than its age, and a token request at every request would not mend it.
     */
    static final Duration FRESH = Duration.ofSeconds(5);
    /** Whether the next token obtained replaces one the server refused (see {@link #FRESH}). */
    private boolean replacing;
    /** After a renewal failed while the token was still good: no new try before this (the token is used meanwhile). */
    private Instant renewAgainAt = Instant.MIN;
    /** How long a failed renewal waits before the next, while the token it would replace is still good. */
    static final Duration RENEW_BACKOFF = Duration.ofSeconds(5);
    /** Refresh tokens this client has sent and seen replaced: a kept one among them is stale (its write failed). */
    private final Set<String> spentRefresh = new LinkedHashSet<>();
    /** The client id this process's sign-in registered (RFC 7591), when none is configured. */
    private String registered;

    /**
     * An access token, when it was obtained, when to renew it and when it expires; {@code replacement}: obtained
     * because the server refused the one before.
     */
    private record Token(String value, Instant obtainedAt, Optional<Instant> renewAt, Optional<Instant> expiresAt,
                         Optional<String> refresh, List<String> scopes, boolean replacement) {
        Token asReplacement() {
            return new Token(value, obtainedAt, renewAt, expiresAt, refresh, scopes, true);
        }

        @Override
        public String toString() {
            return "Token[obtained " + obtainedAt + ", renew " + renewAt.map(Instant::toString).orElse("-")
                    + ", scopes " + scopes + "]";
        }
    }

    OAuthClient(String name, URI server, OAuthSettings settings, AuthHttp http, Optional<TokenStore> store,
                Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.server = Objects.requireNonNull(server, "server");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resource = settings.resource().orElse(Discovery.canonical(server));
        this.scopes.addAll(settings.scopes());
    }

    /** A token still good for a while, if one is held: what a request is sent with without waiting. */
    public Optional<String> heldToken() {
        Token t = token;
        return t != null && !due(t) ? Optional.of(t.value()) : Optional.empty();
    }

    /**
     * A token to send now: the one held, or a new one when there is none or it is due for renewal.
     *
     * @throws AuthorizationException when none can be obtained
     */
    public synchronized String accessToken() {
        Token t = token;
        Instant now = clock.instant();
        boolean good = t != null && t.expiresAt().map(now::isBefore).orElse(true);
        if (t != null && (!due(t) || good && now.isBefore(renewAgainAt))) {
            return t.value();
        }
        try {
            hold(obtain(Challenge.NONE, t, scopes));
        } catch (AuthorizationException e) {
            replacing = false;
            Token still = token;
            if (still != null && still == t && good) {
                renewAgainAt = now.plus(RENEW_BACKOFF);
                return t.value(); // renewal failed, but the token is still good: renewed again a little later
            }
            throw e;
        }
        return token.value();
    }

    /** Drops the token held (refused, or its refresh token refused): still redacted, never sent again. */
    private void drop() {
        Token t = token;
        if (t != null) {
            remember(t.value());
            token = null;
        }
    }

    private void remember(String old) {
        previous.remove(old);
        previous.addFirst(old);
        while (previous.size() > PREVIOUS_KEPT) {
            previous.removeLast();
        }
    }

    /** The token kept from now on; the one before is still redacted. */
    private void hold(Token obtained) {
        Token t = replacing ? obtained.asReplacement() : obtained;
        replacing = false;
        Token before = token;
        if (before != null && !before.value().equals(t.value())) {
            remember(before.value());
            before.refresh().filter(r -> !t.refresh().equals(Optional.of(r))).ifPresent(this::spent);
        }
        renewAgainAt = Instant.MIN;
        token = t;
    }

    /**
     * The server refused the token held now in a way no request can mend (over a transport without a retry hook):
     * dropped, so that the next request obtains another.
     */
    public synchronized void invalidate() {
        Token t = token;
        if (t != null && !(t.replacement() && clock.instant().isBefore(t.obtainedAt().plus(FRESH)))) {
            drop();
            replacing = true;
        }
    }

    private void spent(String refresh) {
        spentRefresh.add(refresh);
        while (spentRefresh.size() > PREVIOUS_KEPT) {
            spentRefresh.remove(spentRefresh.iterator().next());
        }
    }

    /**
     * The server refused a request sent with a token ({@code status} 401 or 403, its {@code WWW-Authenticate}):
     * whether to send it again with a new one. A 401 drops the token; a 403 {@code insufficient_scope} asks for the
     * scopes the challenge names as well; any other 403 is no matter of tokens.
     */
    public synchronized boolean rejected(int status, Optional<String> sentWith, Optional<String> wwwAuthenticate) {
        Challenge c = Challenge.parse(wwwAuthenticate.orElse(null));
        if (status == 403 && !c.insufficientScope()) {
            return false;
        }
        Token t = token;
        if (t != null && sentWith.isPresent() && !sentWith.get().equals("Bearer " + t.value())) {
            return true; // refused an older token: another request has obtained a new one since
        }
        Set<String> wanted = new LinkedHashSet<>(scopes);
        if (c.insufficientScope()) {
            if (c.scopes().isEmpty() || t != null && t.scopes().containsAll(c.scopes())) {
                return false; // nothing more to ask for: the authorization server does not grant it
            }
            if (settings.grant() == OAuthSettings.Grant.AUTHORIZATION_CODE) {
                return false; // a refresh may not widen the scopes (RFC 6749 §6): a new sign-in asks for them
            }
            wanted.addAll(c.scopes());
        } else if (t != null && t.replacement() && clock.instant().isBefore(t.obtainedAt().plus(FRESH))) {
            return false; // the replacement of a refused token refused too: not the token's age
        }
        if (settings.authorizationServer().isEmpty() && c.resourceMetadata().isPresent() && metadataAt.isPresent()
                && !c.resourceMetadata().equals(metadataAt)) {
            metadata = null; // the server names other metadata now (it moved its authorization): found again
        }
        try {
            if (metadata == null) {
                discover(c);
            }
            replacing = true;
            hold(obtain(c, t, wanted));
        } catch (AuthorizationException e) {
            replacing = false;
            if (!c.insufficientScope()) {
                drop(); // a 401: the token is no good, whatever else failed
            }
            return false; // the scopes asked for stay as they were (and, for a step-up, the token too)
        }
        scopes.clear();
        scopes.addAll(wanted);
        return true;
    }

    /**
     * The address a person opens to sign in ({@code mcp-health auth login}): an authorization request with PKCE
     * (S256), {@code state}, the scopes to ask for and the resource, answered at {@code redirect}.
     */
    public synchronized URI authorizationRequest(URI redirect, CodeVerifier verifier, State state) {
        if (settings.grant() != OAuthSettings.Grant.AUTHORIZATION_CODE) {
            throw new AuthorizationException("OAuth: " + name + " uses the " + settings.grant().code()
                    + " grant: there is no one to sign in");
        }
        if (metadata == null) {
            discover(Challenge.NONE);
        }
        String issuer = metadata.getIssuer().getValue();
        if (metadata.getAuthorizationEndpointURI() == null) {
            throw new AuthorizationException("OAuth: authorization server " + issuer + " publishes no authorization"
                    + " endpoint, so no one can sign in there");
        }
        List<CodeChallengeMethod> methods = metadata.getCodeChallengeMethods();
        if (methods == null || !methods.contains(CodeChallengeMethod.S256)) {
            throw new AuthorizationException("OAuth: authorization server " + issuer + " does not say it supports"
                    + " PKCE with S256 (code_challenge_methods_supported), which OAuth 2.1 requires; not signing in");
        }
        if (scopes.isEmpty()) {
            scopes.addAll(scopesSupported);
        }
        if (settings.clientId().isEmpty()) {
            registered = register(redirect);
        }
        AuthorizationRequest.Builder b = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
                new ClientID(clientId())).endpointURI(metadata.getAuthorizationEndpointURI()).redirectionURI(redirect)
                .state(state).codeChallenge(verifier, CodeChallengeMethod.S256).resource(resource);
        if (!scopes.isEmpty()) {
            b.scope(new Scope(scopes.toArray(new String[0])));
        }
        return b.build().toURI();
    }

    /**
     * Exchanges the code a sign-in gave for tokens, which are kept in the token store; what was granted.
     *
     * @throws AuthorizationException when the authorization server refuses the code
     */
    public synchronized SignedIn signIn(AuthorizationCode code, URI redirect, CodeVerifier verifier) {
        hold(request(new AuthorizationCodeGrant(code, redirect, verifier), "authorization_code", scopes,
                Optional.empty()));
        return new SignedIn(metadata.getIssuer().getValue(), clientId(), token.refresh().isPresent(),
                token.scopes());
    }

    /** What a sign-in obtained: never a token itself. */
    public record SignedIn(String issuer, String clientId, boolean refreshable, List<String> scopes) {
    }

    /** The resource indicator tokens are bound to (the key of the server's entry in the token store). */
    public URI resource() {
        return resource;
    }

    /** The tokens held now: never to be printed, logged or stored anywhere but the token store. */
    public List<String> secrets() {
        List<String> s = new ArrayList<>(settings.secrets());
        Token t = token;
        if (t != null) {
            s.add(t.value());
            t.refresh().ifPresent(s::add);
        }
        s.addAll(previous);
        return s;
    }

    private boolean due(Token t) {
        return t.renewAt().isPresent() && !clock.instant().isBefore(t.renewAt().get());
    }

    /** A new token for {@code wanted} scopes ({@code old}: the one held, if any). */
    private Token obtain(Challenge challenge, Token old, Set<String> wanted) {
        if (metadata == null) {
            discover(challenge);
        }
        if (wanted.isEmpty()) {
            // the first token (wanted is the client's own set then): its scopes are the client's from now on
            wanted.addAll(challenge.scopes().isEmpty() ? scopesSupported : challenge.scopes());
        }
        if (settings.grant() == OAuthSettings.Grant.CLIENT_CREDENTIALS) {
            return request(new ClientCredentialsGrant(), "client_credentials", wanted, Optional.empty());
        }
        // the store first: another process (or an `auth login`) may have a newer refresh token than this one holds
        Optional<String> refresh = old == null ? Optional.empty() : old.refresh();
        if (store.isPresent()) {
            Optional<TokenStore.Saved> saved = store.get().read(resource);
            if (saved.isPresent()) {
                TokenStore.Saved kept = saved.get();
                if (!kept.issuer().equals(metadata.getIssuer().getValue())) {
                    throw new AuthorizationException("OAuth: the sign-in kept for " + name + " is from authorization"
                            + " server " + kept.issuer() + ", but the server now names " + metadata.getIssuer()
                            + "; not sending it there: run `mcp-health auth login " + name + "` again");
                }
                Instant now = clock.instant();
                if (kept.accessToken().isPresent() && kept.expiresAt().isPresent()
                        && (old == null || !kept.accessToken().get().equals(old.value()))
                        && !previous.contains(kept.accessToken().get())
                        && now.isBefore(renewAt(kept.expiresAt().get(), kept.lifetime()))) {
                    return new Token(kept.accessToken().get(), now, Optional.of(renewAt(kept.expiresAt().get(),
                            kept.lifetime())), kept.expiresAt(), kept.refreshToken(), kept.scopes(), false);
                }
                Optional<String> mine = old == null ? Optional.empty() : old.refresh();
                // the kept one, unless it is one this client already saw replaced (its write failed): then its own
                refresh = kept.refreshToken().filter(r -> !spentRefresh.contains(r)).or(() -> mine);
            }
        }
        if (refresh.isEmpty()) {
            throw new AuthorizationException("OAuth: " + name + " needs a person to sign in once: run"
                    + " `mcp-health auth login " + name + "`");
        }
        return request(new RefreshTokenGrant(new RefreshToken(refresh.get())), "refresh_token", wanted, refresh);
    }

    private void discover(Challenge challenge) {
        Optional<URI> issuer = settings.authorizationServer();
        if (issuer.isEmpty()) {
            List<String> answers = new ArrayList<>();
            Optional<Discovery.Resource> found = Discovery.resource(http, server, resource, challenge, answers);
            issuer = found.flatMap(Discovery.Resource::issuer);
            scopesSupported = found.map(Discovery.Resource::scopesSupported).orElse(List.of());
            metadataAt = found.map(Discovery.Resource::at);
            if (issuer.isEmpty()) {
                throw new AuthorizationException("OAuth: " + Discovery.shown(server) + " publishes no protected"
                        + " resource metadata (RFC 9728) naming its authorization server (" + String.join("; ",
                        answers) + "); set health.servers." + name + ".auth.authorizationServer");
            }
        }
        metadata = Discovery.authorizationServer(http, issuer.get());
    }

    /**
     * One token request with {@code grant} for {@code wanted} scopes; the token it gives, or the authorization
     * server's refusal. {@code refreshed}: the refresh token sent, kept when the answer brings no new one.
     */
    private Token request(AuthorizationGrant grant, String grantName, Set<String> wanted,
                          Optional<String> refreshed) {
        URI endpoint = metadata.getTokenEndpointURI();
        String issuer = metadata.getIssuer().getValue();
        TokenRequest.Builder b = settings.clientAuth() == OAuthSettings.ClientAuth.NONE
                ? new TokenRequest.Builder(endpoint, new ClientID(clientId()), grant)
                : new TokenRequest.Builder(endpoint, authentication(endpoint), grant);
        if (!wanted.isEmpty()) {
            b.scope(new Scope(wanted.toArray(new String[0])));
        }
        b.resource(resource);
        HTTPResponse response = http.send(b.build().toHTTPRequest(), "the token endpoint of " + issuer);
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            throw new AuthorizationException("OAuth: the token endpoint of " + issuer + " answered HTTP "
                    + response.getStatusCode() + " with no OAuth token response");
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = parsed.toErrorResponse().getErrorObject();
            String code = error == null || error.getCode() == null ? "HTTP " + response.getStatusCode()
                    : printable(error.getCode(), 64);
            String description = error == null || error.getDescription() == null ? ""
                    : " (" + printable(error.getDescription(), 200) + ")";
            if ("refresh_token".equals(grantName) && "invalid_client".equals(code) && settings.clientId().isEmpty()) {
                // the client registered at sign-in is gone (servers expire registrations, or forget them at a restart)
                store.ifPresent(s -> s.forgetIf(resource, refreshed));
                refreshed.ifPresent(this::spent);
                drop();
                throw new AuthorizationException("OAuth: authorization server " + issuer + " no longer knows the"
                        + " client MCP Health registered for " + name + description + "; run `mcp-health auth login "
                        + name + "` again");
            }
            if ("refresh_token".equals(grantName) && "invalid_grant".equals(code)) {
                // forgotten only if the store still holds the refresh token refused (not a newer sign-in's)
                store.ifPresent(s -> s.forgetIf(resource, refreshed));
                refreshed.ifPresent(this::spent);
                drop();
                throw new AuthorizationException("OAuth: authorization server " + issuer + " no longer accepts the"
                        + " sign-in of " + name + description + "; run `mcp-health auth login " + name + "` again");
            }
            throw new AuthorizationException("OAuth: authorization server " + issuer + " refused the "
                    + grantName + " token request of client " + printable(clientId(), 100) + ": " + code
                    + description);
        }
        AccessToken access = parsed.toSuccessResponse().getTokens().getAccessToken();
        if (!AccessTokenType.BEARER.equals(access.getType())) {
            throw new AuthorizationException("OAuth: authorization server " + issuer + " issued a "
                    + access.getType() + " token; only Bearer tokens are supported");
        }
        RefreshToken refreshToken = parsed.toSuccessResponse().getTokens().getRefreshToken();
        List<String> granted = access.getScope() == null ? List.copyOf(wanted) : access.getScope().toStringList();
        Instant now = clock.instant();
        Optional<Instant> expiresAt = access.getLifetime() > 0
                ? Optional.of(now.plusSeconds(access.getLifetime())) : Optional.empty();
        Duration lifetime = Duration.ofSeconds(Math.max(0, access.getLifetime()));
        // an authorization server need not issue a new refresh token at each refresh (RFC 6749 §6): keep the old one
        Optional<String> refresh = Optional.ofNullable(refreshToken).map(RefreshToken::getValue).or(() -> refreshed);
        if (settings.grant() == OAuthSettings.Grant.AUTHORIZATION_CODE && store.isPresent()) {
            try {
                store.get().save(resource, new TokenStore.Saved(issuer, clientId(), refresh,
                        Optional.of(access.getValue()), expiresAt, lifetime, granted));
            } catch (AuthorizationException e) {
                // the tokens are good: kept in memory (a rotated refresh token is only here now), said in the log
                LOG.warn("{}; {}'s tokens are kept in memory only until it is written", e.getMessage(), name);
            }
        }
        return new Token(access.getValue(), now, expiresAt.map(e -> renewAt(e, lifetime)), expiresAt, refresh,
                granted, false);
    }

    /** When a token expiring at {@code expiresAt} is renewed: a third of its life before, at most a minute. */
    private static Instant renewAt(Instant expiresAt, Duration lifetime) {
        Duration ahead = lifetime.dividedBy(3);
        return expiresAt.minus(ahead.compareTo(MAX_AHEAD) > 0 ? MAX_AHEAD : ahead);
    }

    private String clientId() {
        return settings.clientId().or(() -> Optional.ofNullable(registered))
                .or(() -> store.flatMap(s -> s.read(resource)).map(TokenStore.Saved::clientId))
                .orElseThrow(() -> new AuthorizationException("OAuth: " + name + " has no client id: set"
                        + " health.servers." + name + ".auth.clientId, or sign in (`mcp-health auth login " + name
                        + "`) where the authorization server offers dynamic client registration"));
    }

    /**
     * Registers MCP Health as a public client (RFC 7591: PKCE, no secret, this sign-in's loopback redirect) at the
     * authorization server's registration endpoint; its client id. A sign-in registers anew: the redirect's port is
     * new each time, and a registration is for exactly the redirect it names.
     *
     * @throws AuthorizationException when the server offers no registration or refuses it
     */
    private String register(URI redirect) {
        String issuer = metadata.getIssuer().getValue();
        URI endpoint = metadata.getRegistrationEndpointURI();
        if (endpoint == null) {
            throw new AuthorizationException("OAuth: " + name + " has no client id, and authorization server "
                    + printable(issuer, 200) + " offers no dynamic client registration (no registration_endpoint):"
                    + " set health.servers." + name + ".auth.clientId to a client registered there");
        }
        Discovery.secure(endpoint, "the registration endpoint of " + printable(issuer, 200));
        ClientMetadata wanted = new ClientMetadata();
        wanted.setName("MCP Health");
        wanted.setRedirectionURI(redirect);
        wanted.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        wanted.setResponseTypes(Set.of(new ResponseType(ResponseType.Value.CODE)));
        wanted.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
        if (!scopes.isEmpty()) {
            wanted.setScope(new Scope(scopes.toArray(new String[0])));
        }
        HTTPResponse response = http.send(new ClientRegistrationRequest(endpoint, wanted, null).toHTTPRequest(),
                "the registration endpoint of " + issuer);
        ClientRegistrationResponse parsed;
        try {
            parsed = ClientRegistrationResponse.parse(response);
        } catch (ParseException e) {
            throw new AuthorizationException("OAuth: the registration endpoint of " + printable(issuer, 200)
                    + " answered HTTP " + response.getStatusCode() + " with no client registration response");
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = ((ClientRegistrationErrorResponse) parsed).getErrorObject();
            String code = error == null || error.getCode() == null ? "HTTP " + response.getStatusCode()
                    : printable(error.getCode(), 64);
            String description = error == null || error.getDescription() == null ? ""
                    : " (" + printable(error.getDescription(), 200) + ")";
            throw new AuthorizationException("OAuth: authorization server " + printable(issuer, 200) + " refused to"
                    + " register MCP Health as a client: " + code + description + "; set health.servers." + name
                    + ".auth.clientId to a client registered there");
        }
        ClientInformation info = ((ClientInformationResponse) parsed).getClientInformation();
        String id = info.getID() == null ? "" : info.getID().getValue();
        if (id.isEmpty() || id.length() > 255 || !id.matches("[\\x21-\\x7E]+")) {
            throw new AuthorizationException("OAuth: authorization server " + printable(issuer, 200) + " registered"
                    + " MCP Health under a client id that is not one word of printable ASCII (at most 255 characters);"
                    + " set health.servers." + name + ".auth.clientId to a client registered there");
        }
        if (info.getSecret() != null) {
            // a confidential client was made though a public one was asked for: its secret is not kept (PKCE is the
            // proof), and a server that insists on it refuses the token request, which says so
            LOG.warn("OAuth: authorization server {} registered {} with a client secret; only public clients are"
                    + " registered (PKCE), the secret is not used", printable(issuer, 200), name);
        }
        LOG.info("OAuth: registered MCP Health at {} for {} (client {})", printable(issuer, 200), name, id);
        return id;
    }

    private ClientAuthentication authentication(URI endpoint) {
        ClientID id = new ClientID(clientId());
        return switch (settings.clientAuth()) {
            case CLIENT_SECRET_BASIC -> new ClientSecretBasic(id, new Secret(settings.clientSecret().orElseThrow()));
            case CLIENT_SECRET_POST -> new ClientSecretPost(id, new Secret(settings.clientSecret().orElseThrow()));
            case PRIVATE_KEY_JWT -> {
                PrivateKey key = settings.privateKey().orElseThrow();
                try {
                    yield new PrivateKeyJWT(id, endpoint, algorithm(key), key, settings.keyId().orElse(null), null);
                } catch (com.nimbusds.jose.JOSEException e) {
                    throw new AuthorizationException("OAuth: the client assertion of " + name
                            + " cannot be signed with its private key");
                }
            }
            case NONE -> throw new IllegalStateException("a public client sends no authentication");
        };
    }

    private static JWSAlgorithm algorithm(PrivateKey key) {
        if (key instanceof ECPrivateKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? JWSAlgorithm.ES256 : bits <= 384 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
        }
        return JWSAlgorithm.RS256;
    }

    /** Text an authorization server wrote, as a message may show it: cut to {@code max}, unsafe characters escaped. */
    static String printable(String s, int max) {
        return dev.mcphealth.domain.model.Printable.escape(s.length() <= max ? s : s.substring(0, max - 1) + "…");
    }
}
