package dev.mcphealth.infrastructure.auth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * Finds a server's authorization server as the MCP authorization specification says: the protected resource metadata
 * (RFC 9728) at the address the server's challenge names, else at the well-known addresses (path-inserted, then the
 * root), else from a challenge read by an unauthenticated request; then that authorization server's metadata
 * (RFC 8414, then OpenID Connect discovery, with the issuer's path inserted and appended). Nimbus parses the
 * authorization server's metadata; it has no RFC 9728 support, so that part is read here.
 */
final class Discovery {
    /** What the server's protected resource metadata says. */
    record Resource(Optional<URI> issuer, List<String> scopesSupported) {
    }

    private Discovery() {
    }

    /** The protected resource metadata of {@code server}, or empty when it publishes none. */
    static Optional<Resource> resource(AuthHttp http, URI server, Challenge challenge) {
        List<URI> tried = new ArrayList<>();
        Challenge c = challenge;
        if (c.resourceMetadata().isEmpty()) {
            for (URI candidate : wellKnownResource(server)) {
                Optional<Resource> found = fetchResource(http, candidate, server, tried);
                if (found.isPresent()) {
                    return found;
                }
            }
            // no metadata at the well-known addresses: the server's own challenge may name it
            HttpResponse<String> r = http.unauthenticatedPing(server);
            c = Challenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
        if (c.resourceMetadata().isPresent() && !tried.contains(c.resourceMetadata().get())) {
            return fetchResource(http, c.resourceMetadata().get(), server, tried);
        }
        return Optional.empty();
    }

    private static Optional<Resource> fetchResource(AuthHttp http, URI at, URI server, List<URI> tried) {
        tried.add(at);
        HttpResponse<String> r = http.get(at, "the server's protected resource metadata");
        if (r.statusCode() != 200) {
            return Optional.empty();
        }
        JSONObject doc;
        try {
            doc = JSONObjectUtils.parse(r.body());
        } catch (ParseException e) {
            throw new AuthorizationException("OAuth: the protected resource metadata at " + shown(at)
                    + " is not a JSON object");
        }
        String resource = doc.get("resource") instanceof String s ? s : null;
        if (resource != null && !sameResource(resource, server)) {
            throw new AuthorizationException("OAuth: the protected resource metadata at " + shown(at)
                    + " is for another resource, not " + shown(server));
        }
        Optional<URI> issuer = Optional.empty();
        if (doc.get("authorization_servers") instanceof List<?> servers && !servers.isEmpty()
                && servers.get(0) instanceof String first) {
            issuer = Optional.of(httpUri(first, "the authorization server named by " + shown(at)));
        }
        List<String> scopes = new ArrayList<>();
        if (doc.get("scopes_supported") instanceof List<?> supported) {
            for (Object s : supported) {
                if (s instanceof String scope && scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}")) {
                    scopes.add(scope);
                }
            }
        }
        return Optional.of(new Resource(issuer, List.copyOf(scopes)));
    }

    /** The authorization server's metadata: RFC 8414 first, then OpenID Connect discovery. */
    static AuthorizationServerMetadata authorizationServer(AuthHttp http, URI issuer) {
        String origin = origin(issuer);
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath().replaceAll("/+$", "");
        List<URI> candidates = path.isEmpty()
                ? List.of(URI.create(origin + "/.well-known/oauth-authorization-server"),
                URI.create(origin + "/.well-known/openid-configuration"))
                : List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
                URI.create(origin + "/.well-known/openid-configuration" + path),
                URI.create(origin + path + "/.well-known/openid-configuration"));
        List<String> answers = new ArrayList<>();
        for (URI candidate : candidates) {
            HttpResponse<String> r = http.get(candidate, "the authorization server " + shown(issuer));
            if (r.statusCode() != 200) {
                answers.add("HTTP " + r.statusCode());
                continue;
            }
            AuthorizationServerMetadata metadata;
            try {
                metadata = AuthorizationServerMetadata.parse(r.body());
            } catch (ParseException e) {
                answers.add("not valid metadata");
                continue;
            }
            if (!sameIssuer(metadata.getIssuer().getValue(), issuer)) {
                throw new AuthorizationException("OAuth: the metadata of authorization server " + shown(issuer)
                        + " names another issuer; refusing it (RFC 8414 §3.3)");
            }
            if (metadata.getTokenEndpointURI() == null) {
                throw new AuthorizationException("OAuth: authorization server " + shown(issuer)
                        + " publishes no token endpoint");
            }
            return metadata;
        }
        throw new AuthorizationException("OAuth: cannot read the metadata of authorization server " + shown(issuer)
                + " (RFC 8414 and OpenID discovery answered " + String.join(", ", answers) + ")");
    }

    /** The path-inserted address first (RFC 9728 §3.1), then the root one. */
    private static List<URI> wellKnownResource(URI server) {
        String origin = origin(server);
        String path = server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/+$", "");
        return path.isEmpty() ? List.of(URI.create(origin + "/.well-known/oauth-protected-resource"))
                : List.of(URI.create(origin + "/.well-known/oauth-protected-resource" + path),
                URI.create(origin + "/.well-known/oauth-protected-resource"));
    }

    static String origin(URI uri) {
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    /**
     * The server's canonical URI, the resource indicator tokens are bound to (RFC 8707, the MCP specification's
     * "canonical server URI"): scheme and host in lower case, no query, no fragment, no trailing slash.
     */
    static URI canonical(URI server) {
        String path = server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/+$", "");
        return URI.create(origin(server).toLowerCase(java.util.Locale.ROOT) + path);
    }

    private static boolean sameResource(String resource, URI server) {
        try {
            return canonical(new URI(resource)).equals(canonical(server));
        } catch (java.net.URISyntaxException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static boolean sameIssuer(String stated, URI issuer) {
        return stated.replaceAll("/+$", "").equals(issuer.toString().replaceAll("/+$", ""));
    }

    private static URI httpUri(String s, String what) {
        try {
            URI u = new URI(s);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawUserInfo() == null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        throw new AuthorizationException("OAuth: " + what + " is not an http(s) URL");
    }

    /** An address as shown in a message: no query (it may carry a secret). */
    static String shown(URI uri) {
        return origin(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
