package dev.mcphealth.infrastructure.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How to reach a server: a command to start (stdio) or a URL (streamable HTTP or SSE). Env values and header values
 * are secrets: {@link #toString()} never shows them, and {@link #secrets()} lists them so that messages can be redacted.
 */
public sealed interface Endpoint permits Endpoint.Stdio, Endpoint.Http {

    /** Values that must never appear in output, logs or the database. */
    List<String> secrets();

    /**
     * A stdio server: the command, its arguments, extra environment variables, the working directory, and what the
     * configuration put into its arguments from the environment ({@code argSecrets}: {@code "--api-key",
     * "${API_KEY}"}), which are secrets like the env values.
     */
    record Stdio(String command, List<String> args, Map<String, String> env, Optional<Path> cwd,
                 List<String> argSecrets) implements Endpoint {
        public Stdio {
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args);
            env = Map.copyOf(env);
            Objects.requireNonNull(cwd, "cwd");
            argSecrets = List.copyOf(argSecrets);
        }

        /** A server whose arguments take nothing from the environment. */
        public Stdio(String command, List<String> args, Map<String, String> env, Optional<Path> cwd) {
            this(command, args, env, cwd, List.of());
        }

        @Override
        public List<String> secrets() {
            List<String> all = new java.util.ArrayList<>(env.values());
            all.addAll(argSecrets);
            return List.copyOf(all);
        }

        /** The command line as shown to people: arguments are shown, but for the credentials in them; env values never. */
        public String display() {
            StringBuilder b = new StringBuilder(command);
            args.forEach(a -> b.append(' ').append(a));
            return new Redactor(argSecrets).redact(b.toString());
        }

        @Override
        public String toString() {
            return "Stdio[" + display() + ", env=" + new TreeMap<>(env).keySet() + "]";
        }
    }

    /**
     * A remote server over streamable HTTP ({@code sse == false}) or the older HTTP+SSE transport; with {@code oauth},
     * its requests carry an OAuth access token obtained as those settings say (docs/authorization.md).
     * {@code urlSecrets}: what the configuration put into the URL from credential variables
     * ({@code "https://host/mcp/${API_KEY}/sse"}), secrets wherever in the URL they are.
     */
    record Http(URI url, Map<String, String> headers, boolean sse, Optional<OAuthSettings> oauth,
                List<String> urlSecrets) implements Endpoint {
        public Http {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(oauth, "oauth");
            urlSecrets = List.copyOf(urlSecrets);
        }

        /** A server reached without OAuth. */
        public Http(URI url, Map<String, String> headers, boolean sse) {
            this(url, headers, sse, Optional.empty());
        }

        /** A server whose URL takes no credential from the environment. */
        public Http(URI url, Map<String, String> headers, boolean sse, Optional<OAuthSettings> oauth) {
            this(url, headers, sse, oauth, List.of());
        }

        /**
         * Header values whole and word by word (a server may echo just the token of "Bearer token"), a Basic
         * header's decoded credentials, the URL's user info and query values, raw and decoded, and the credentials the
         * configuration put into it ({@code urlSecrets}).
         */
        @Override
        public List<String> secrets() {
            List<String> s = new ArrayList<>(urlSecrets);
            oauth.ifPresent(o -> s.addAll(o.secrets()));
            for (String value : headers.values()) {
                s.add(value);
                String[] words = value.split("[\\s,;]+");
                for (String word : words) {
                    if (!AUTH_SCHEMES.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                        s.add(word);
                    }
                }
                if (words.length == 2 && words[0].equalsIgnoreCase("basic")) {
                    decoded(words[1]).ifPresent(credentials -> {
                        s.add(credentials);
                        s.addAll(List.of(credentials.split(":", 2)));
                    });
                }
            }
            if (url.getRawUserInfo() != null) {
                s.add(url.getRawUserInfo());
                s.addAll(List.of(url.getRawUserInfo().split(":", 2)));
                s.add(url.getUserInfo());
            }
            if (url.getRawQuery() != null) {
                for (String pair : url.getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq >= 0 && eq + 1 < pair.length()) {
                        String raw = pair.substring(eq + 1);
                        s.add(raw);
                        s.add(java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            return List.copyOf(s);
        }

        private static final java.util.Set<String> AUTH_SCHEMES = java.util.Set.of("bearer", "basic", "token",
                "digest", "negotiate", "apikey", "api-key");

        private static Optional<String> decoded(String base64) {
            try {
                return Optional.of(new String(java.util.Base64.getDecoder().decode(base64),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** The URL as shown to people: no user info, no query values, no credential put into its path. */
        public String display() {
            String query = url.getRawQuery() == null ? "" : "?…";
            return new Redactor(urlSecrets).redact(url.getScheme() + "://" + url.getHost()
                    + (url.getPort() < 0 ? "" : ":" + url.getPort()) + (url.getRawPath() == null ? "" : url.getRawPath()))
                    + query;
        }

        @Override
        public String toString() {
            return "Http[" + display() + ", headers=" + new TreeMap<>(headers).keySet() + ", sse=" + sse
                    + oauth.map(o -> ", " + o).orElse("") + "]";
        }
    }
}
