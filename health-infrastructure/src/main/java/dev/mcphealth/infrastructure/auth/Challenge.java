package dev.mcphealth.infrastructure.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Bearer challenge of a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 9728 §5.1): its error code, the scopes
 * it names and the address of the server's protected resource metadata. Read here rather than by Nimbus's
 * {@code BearerTokenError}, which drops {@code resource_metadata} and fails on a header with several challenges.
 */
record Challenge(Optional<String> error, List<String> scopes, Optional<URI> resourceMetadata) {
    static final Challenge NONE = new Challenge(Optional.empty(), List.of(), Optional.empty());

    /** The Bearer challenge among those of {@code header}; {@link #NONE} when there is none or it cannot be read. */
    static Challenge parse(String header) {
        if (header == null) {
            return NONE;
        }
        Map<String, String> params = bearerParams(header);
        if (params == null) {
            return NONE;
        }
        Optional<String> error = Optional.ofNullable(params.get("error")).filter(e -> e.matches("[\\x20-\\x7E]{1,64}"));
        List<String> scopes = new ArrayList<>();
        String scope = params.get("scope");
        if (scope != null) {
            for (String s : scope.trim().split("\\s+")) {
                if (s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}")) {
                    scopes.add(s);
                }
            }
        }
        Optional<URI> metadata = Optional.ofNullable(params.get("resource_metadata")).flatMap(Challenge::httpUri);
        return new Challenge(error, List.copyOf(scopes), metadata);
    }

    /** Whether the server said the token lacks scopes ({@code insufficient_scope}). */
    boolean insufficientScope() {
        return error.filter("insufficient_scope"::equals).isPresent();
    }

    /** {@code s} as an absolute http(s) URI without user info, or empty. */
    static Optional<URI> httpUri(String s) {
        try {
            URI u = new URI(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawUserInfo() == null ? Optional.of(u) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * The auth-params of the header's Bearer challenge, or null. A header may hold several challenges
     * ({@code DPoP algs="ES256", Bearer realm="x", scope="a b"}): a challenge starts at a scheme token that is not
     * followed by {@code =}.
     */
    private static Map<String, String> bearerParams(String header) {
        Map<String, String> params = null;
        int i = 0;
        int n = header.length();
        boolean inBearer = false;
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',' || header.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && isTokenChar(header.charAt(i))) {
                i++;
            }
            if (start == i) {
                i++; // a stray character: skip it
                continue;
            }
            String token = header.substring(start, i);
            int j = i;
            while (j < n && header.charAt(j) == ' ') {
                j++;
            }
            if (j < n && header.charAt(j) == '=') {
                // an auth-param: name=value (a token or a quoted string)
                j++;
                while (j < n && header.charAt(j) == ' ') {
                    j++;
                }
                StringBuilder value = new StringBuilder();
                if (j < n && header.charAt(j) == '"') {
                    j++;
                    while (j < n && header.charAt(j) != '"') {
                        char c = header.charAt(j);
                        if (c == '\\' && j + 1 < n) {
                            j++;
                            c = header.charAt(j);
                        }
                        value.append(c);
                        j++;
                    }
                    j++; // the closing quote
                } else {
                    while (j < n && header.charAt(j) != ',' && header.charAt(j) != ' ') {
                        value.append(header.charAt(j));
                        j++;
                    }
                }
                if (inBearer) {
                    params.putIfAbsent(token.toLowerCase(Locale.ROOT), value.toString());
                }
                i = j;
            } else {
                // a new challenge's scheme
                if (inBearer) {
                    return params;
                }
                inBearer = token.equalsIgnoreCase("Bearer");
                if (inBearer) {
                    params = new LinkedHashMap<>();
                }
                i = j;
            }
        }
        return params;
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
    }
}
