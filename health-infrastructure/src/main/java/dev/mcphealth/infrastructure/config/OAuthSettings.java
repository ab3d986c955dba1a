package dev.mcphealth.infrastructure.config;

import java.net.URI;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How MCP Health obtains an OAuth access token for one remote server ({@code health.servers.<name>.auth},
 * docs/authorization.md): the grant, the client's identity and how it proves it, the scopes to ask for, and overrides
 * of what discovery would find. The client secret and the private key are secrets: {@link #toString()} never shows
 * them, and {@link #secrets()} lists the secret so that messages can be redacted.
 *
 * @param clientId the registered client id; empty for the authorization code grant with dynamic registration
 * @param clientSecret the client secret (read from an environment variable or a file), for client_secret_*
 * @param privateKey the key that signs the client assertion, for private_key_jwt
 * @param keyId the {@code kid} put in the assertion's header, if the server needs one
 * @param scopes the scopes to ask for; empty: those the server's challenge or metadata name
 * @param authorizationServer the issuer to use when the server's protected resource metadata names none
 * @param resource the resource indicator (RFC 8707) tokens are bound to; empty: the server's URL
 */
public record OAuthSettings(Grant grant, Optional<String> clientId, Optional<String> clientSecret,
                            ClientAuth clientAuth, Optional<PrivateKey> privateKey, Optional<String> keyId,
                            List<String> scopes, Optional<URI> authorizationServer, Optional<URI> resource) {

    /** The grant a token is obtained with. */
    public enum Grant {
        /** Machine to machine: the client's own credentials, nothing kept between runs. */
        CLIENT_CREDENTIALS("client_credentials"),
        /** A person signs in once ({@code mcp-health auth login}); the refresh token is kept. */
        AUTHORIZATION_CODE("authorization_code");

        private final String code;

        Grant(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Grant fromCode(String code) {
            for (Grant g : values()) {
                if (g.code.equals(code)) {
                    return g;
                }
            }
            throw new IllegalArgumentException("unknown grant \"" + code + "\"; known: client_credentials,"
                    + " authorization_code");
        }
    }

    /** How the client proves who it is at the token endpoint. */
    public enum ClientAuth {
        CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, NONE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ClientAuth fromCode(String code) {
            for (ClientAuth a : values()) {
                if (a.code().equals(code)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown client authentication \"" + code + "\"; known:"
                    + " client_secret_basic, client_secret_post, private_key_jwt, none");
        }
    }

    public OAuthSettings {
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(keyId, "keyId");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(authorizationServer, "authorizationServer");
        Objects.requireNonNull(resource, "resource");
        switch (clientAuth) {
            case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST -> {
                if (clientSecret.isEmpty()) {
                    throw new IllegalArgumentException(clientAuth.code() + " needs a client secret"
                            + " (clientSecretEnv or clientSecretFile)");
                }
            }
            case PRIVATE_KEY_JWT -> {
                if (privateKey.isEmpty()) {
                    throw new IllegalArgumentException("private_key_jwt needs a private key (privateKeyFile)");
                }
            }
            case NONE -> {
                if (grant == Grant.CLIENT_CREDENTIALS) {
                    throw new IllegalArgumentException("the client_credentials grant needs the client to authenticate"
                            + " (client_secret_basic, client_secret_post or private_key_jwt)");
                }
            }
        }
        if (grant == Grant.CLIENT_CREDENTIALS && clientId.isEmpty()) {
            throw new IllegalArgumentException("the client_credentials grant needs a clientId");
        }
        if (clientId.isEmpty() && clientAuth != ClientAuth.NONE) {
            throw new IllegalArgumentException("a client secret or key needs the clientId it belongs to (without one,"
                    + " auth login registers MCP Health as a public client, which has neither)");
        }
    }

    /**
     * Whether {@code uri} is on this machine's loopback (127.0.0.1, [::1], localhost): the one place an access token or
     * a client credential may go over plain http.
     */
    public static boolean onLoopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        return host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")
                || host.equalsIgnoreCase("localhost");
    }

    /** The client secret, when there is one: never to appear in output, logs or the database. */
    public List<String> secrets() {
        List<String> s = new ArrayList<>();
        clientSecret.ifPresent(s::add);
        return List.copyOf(s);
    }

    @Override
    public String toString() {
        return "OAuthSettings[" + grant.code() + ", client=" + clientId.orElse("(registered)") + ", "
                + clientAuth.code() + ", scopes=" + scopes + "]";
    }
}
