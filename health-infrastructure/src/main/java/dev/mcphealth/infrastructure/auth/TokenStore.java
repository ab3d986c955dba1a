package dev.mcphealth.infrastructure.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the tokens of the authorization code grant are kept between runs (docs/authorization.md): one JSON file only
 * its owner can read or write (mode 600, its directory 700), one entry per server by its resource URI: the
 * authorization server, the client id, the refresh token and the last access token with its expiry. Written whole to a
 * temporary file and moved into place, so that a reader never sees half of it. Nothing else ever holds a token: not the
 * database, not a log line, not an answer.
 */
public final class TokenStore {
    /** The environment variable naming the file instead of the default. */
    public static final String ENV = "MCP_HEALTH_TOKENS";
    /** Made when the file is first read or written (a holder class): not at every start of a command. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private final Path file;

    /** What is kept for one server. */
    public record Saved(String issuer, String clientId, Optional<String> refreshToken, Optional<String> accessToken,
                        Optional<Instant> expiresAt, Duration lifetime, List<String> scopes) {
        public Saved {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(clientId, "clientId");
            scopes = List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Saved[" + issuer + ", client=" + clientId + ", refresh=" + refreshToken.isPresent()
                    + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("-") + ", scopes=" + scopes + "]";
        }
    }

    public TokenStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    }

    /**
     * The file {@code MCP_HEALTH_TOKENS} names, else {@code oauth-tokens.json} in MCP Health's state directory
     * ({@code $XDG_STATE_HOME/mcp-health}, else {@code ~/.local/state/mcp-health}).
     */
    public static TokenStore standard(Map<String, String> env) {
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) {
            return new TokenStore(Path.of(named));
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return new TokenStore(base.resolve("mcp-health").resolve("oauth-tokens.json"));
    }

    public Path file() {
        return file;
    }

    /** What is kept for the server of {@code resource}, if anything. */
    public synchronized Optional<Saved> read(URI resource) {
        JsonNode entry = load().get(resource.toString());
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        List<String> scopes = new ArrayList<>();
        entry.path("scopes").forEach(s -> scopes.add(s.asString()));
        Optional<Instant> expiresAt;
        try {
            expiresAt = text(entry, "expiresAt").map(Instant::parse);
        } catch (java.time.format.DateTimeParseException e) {
            throw new AuthorizationException("OAuth: the token file " + file + " cannot be read (its expiresAt is not"
                    + " a time); move it away and sign in again");
        }
        return Optional.of(new Saved(entry.path("issuer").asString(""), entry.path("clientId").asString(""),
                text(entry, "refreshToken"), text(entry, "accessToken"), expiresAt,
                Duration.ofSeconds(entry.path("lifetimeSeconds").asLong(0)), scopes));
    }

    public synchronized void save(URI resource, Saved saved) {
        locked(() -> {
            ObjectNode all = load();
            ObjectNode e = all.putObject(resource.toString());
            e.put("issuer", saved.issuer());
            e.put("clientId", saved.clientId());
            saved.refreshToken().ifPresent(t -> e.put("refreshToken", t));
            saved.accessToken().ifPresent(t -> e.put("accessToken", t));
            saved.expiresAt().ifPresent(t -> e.put("expiresAt", t.toString()));
            e.put("lifetimeSeconds", saved.lifetime().toSeconds());
            saved.scopes().forEach(e.putArray("scopes")::add);
            write(all);
            return null;
        });
    }

    /** Forgets what is kept for the server of {@code resource}; whether anything was. */
    public synchronized boolean forget(URI resource) {
        return locked(() -> {
            ObjectNode all = load();
            if (all.remove(resource.toString()) == null) {
                return false;
            }
            write(all);
            return true;
        });
    }

    /**
     * Forgets the server's entry only if it still holds {@code refreshToken} (a refresh token the authorization server
     * refused), not a newer sign-in's that another process kept meanwhile; in one step under the file's lock.
     */
    public synchronized boolean forgetIf(URI resource, Optional<String> refreshToken) {
        return locked(() -> {
            ObjectNode all = load();
            JsonNode entry = all.get(resource.toString());
            if (entry == null || !text(entry, "refreshToken").equals(refreshToken)) {
                return false;
            }
            all.remove(resource.toString());
            write(all);
            return true;
        });
    }

    /**
     * {@code work} holding the token file's lock ({@code <file>.lock}, an OS file lock): processes sharing the file
     * read, change and write it one at a time, so that none writes back an older copy over another's new tokens.
     */
    private <T> T locked(java.util.function.Supplier<T> work) {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try {
            ensureDirectory();
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock held = ch.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new AuthorizationException("OAuth: the token file " + file + " cannot be locked ("
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "an I/O error") + ")");
        }
    }

    private void ensureDirectory() throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
    }

    private static Optional<String> text(JsonNode entry, String key) {
        JsonNode v = entry.get(key);
        return v == null || !v.isString() || v.asString().isEmpty() ? Optional.empty() : Optional.of(v.asString());
    }

    private ObjectNode load() {
        if (!Files.exists(file)) {
            return Json.MAPPER.createObjectNode();
        }
        tighten();
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            JsonNode tokens = root.get("tokens");
            return tokens != null && tokens.isObject() ? (ObjectNode) tokens : Json.MAPPER.createObjectNode();
        } catch (IOException | RuntimeException e) {
            throw new AuthorizationException("OAuth: the token file " + file + " cannot be read (" + (e instanceof
                    java.nio.file.AccessDeniedException ? "permission denied" : "it is not MCP Health's token file")
                    + "); move it away and sign in again");
        }
    }

    /** A token file others could read (made by hand, or copied) is made its owner's alone before it is read. */
    private void tighten() {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                java.util.Set<java.nio.file.attribute.PosixFilePermission> own = PosixFilePermissions.fromString(
                        "rw-------");
                if (!own.containsAll(mode)) {
                    Files.setPosixFilePermissions(file, own);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // read as it is; the next write makes it 600
        }
    }

    private void write(ObjectNode tokens) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", 1);
        root.set("tokens", tokens);
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            ensureDirectory();
            Path tmp = posix ? Files.createTempFile(dir, ".oauth-tokens", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".oauth-tokens", ".tmp");
            try {
                Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root),
                        StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new AuthorizationException("OAuth: the token file " + file + " cannot be written ("
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "an I/O error")
                    + ")");
        }
    }
}
