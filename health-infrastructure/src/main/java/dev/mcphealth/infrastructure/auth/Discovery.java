package dev.mcphealth.infrastructure.auth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.mcphealth.infrastructure.config.OAuthSettings;
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
    record Resource(URI at, Optional<URI> issuer, List<String> scopesSupported) {
    }

    private Discovery() {
    }

    /**
     * The protected resource metadata of {@code server} (whose tokens are for {@code resource}), or empty when it
     * publishes none; {@code answers} collects what each address answered, for the message that says so.
     */
    static Optional<Resource> resource(AuthHttp http, URI server, URI resource, Challenge challenge,
                                       List<String> answers) {
        List<URI> tried = new ArrayList<>();
        Challenge c = challenge;
        if (c.resourceMetadata().isEmpty()) {
            for (URI candidate : wellKnownResource(server)) {
                Optional<Resource> found = fetchResource(http, candidate, server, resource, tried, answers);
                if (found.isPresent()) {
                    return found;
                }
            }
            // no metadata at the well-known addresses: the server's own challenge may name it
            HttpResponse<String> r = http.unauthenticatedPing(server);
            c = Challenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
            if (c.resourceMetadata().isEmpty()) {
                answers.add("a request without a token got HTTP " + r.statusCode() + " without a resource_metadata"
                        + " challenge");
            }
        }
        if (c.resourceMetadata().isPresent() && !tried.contains(c.resourceMetadata().get())) {
            return fetchResource(http, secure(c.resourceMetadata().get(), "the server's resource_metadata"), server,
                    resource, tried, answers);
        }
        return Optional.empty();
    }

    private static Optional<Resource> fetchResource(AuthHttp http, URI at, URI server, URI resource, List<URI> tried,
                                                    List<String> answers) {
        tried.add(at);
        HttpResponse<String> r = http.get(at, "the server's protected resource metadata", true);
        if (r.statusCode() != 200) {
            answers.add(shown(at) + " HTTP " + r.statusCode());
            return Optional.empty();
        }
        JSONObject doc;
        try {
            doc = JSONObjectUtils.parse(r.body());
        } catch (ParseException e) {
            answers.add(shown(at) + " not JSON"); // a page a catch-all route serves: the next address may have it
            return Optional.empty();
        }
        String named = doc.get("resource") instanceof String s ? s : null;
        if (named != null && !covers(named, server, resource)) {
            // another resource's (a host serving several servers): passed over, the next address may have ours
            answers.add(shown(at) + " is for another resource");
            return Optional.empty();
        }
        Optional<URI> issuer = Optional.empty();
        if (doc.get("authorization_servers") instanceof List<?> servers && !servers.isEmpty()
                && servers.get(0) instanceof String first) {
            String what = "the authorization server named by " + shown(at);
            issuer = Optional.of(secure(Challenge.httpUri(first).orElseThrow(() -> new AuthorizationException(
                    "OAuth: " + what + " is not an http(s) URL")), what));
        }
        List<String> scopes = new ArrayList<>();
        if (doc.get("scopes_supported") instanceof List<?> supported) {
            for (Object s : supported) {
                if (s instanceof String scope && scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}")) {
                    scopes.add(scope);
                }
            }
        }
        return Optional.of(new Resource(at, issuer, List.copyOf(scopes)));
    }

    /** The authorization server's metadata: RFC 8414 first, then OpenID Connect discovery. */
    static AuthorizationServerMetadata authorizationServer(AuthHttp http, URI issuer) {
        secure(issuer, "authorization server " + shown(issuer));
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
            HttpResponse<String> r = http.get(candidate, "the authorization server " + shown(issuer), false);
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
            secure(metadata.getTokenEndpointURI(), "the token endpoint of " + shown(issuer));
            if (metadata.getAuthorizationEndpointURI() != null) {
                secure(metadata.getAuthorizationEndpointURI(), "the authorization endpoint of " + shown(issuer));
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
        String scheme = server.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = server.getPort();
        boolean usual = port == -1 || "https".equals(scheme) && port == 443 || "http".equals(scheme) && port == 80;
        String host = server.getHost() == null ? "" : server.getHost().toLowerCase(java.util.Locale.ROOT);
        return URI.create(scheme + "://" + host + (usual ? "" : ":" + port) + path);
    }

    /**
     * Whether metadata naming resource {@code named} is this server's: the server's own URI, the configured resource,
     * or a URI the server's lies under (the origin, at the root address; RFC 9728 §3.3).
     */
    private static boolean covers(String named, URI server, URI resource) {
        try {
            URI n = canonical(new URI(named));
            URI s = canonical(server);
            String prefix = n.toString();
            return n.equals(s) || n.equals(canonical(resource)) || s.toString().startsWith(prefix.endsWith("/")
                    ? prefix : prefix + "/");
        } catch (java.net.URISyntaxException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /**
     * {@code uri} if it is https, or http on this machine (loopback): credentials and tokens go nowhere in the clear
     * (OAuth 2.1 §1.5, the MCP authorization specification's communication security).
     */
    static URI secure(URI uri, String what) {
        if ("https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme()) && OAuthSettings.onLoopback(uri)) {
            return uri;
        }
        throw new AuthorizationException("OAuth: " + what + " is not https (" + shown(uri) + "); credentials and"
                + " tokens are only sent over TLS, or in the clear on this machine's loopback");
    }

    private static boolean sameIssuer(String stated, URI issuer) {
        return stated.replaceAll("/+$", "").equals(issuer.toString().replaceAll("/+$", ""));
    }

    /** An address as shown in a message: no query (it may carry a secret). */
    static String shown(URI uri) {
        return origin(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
