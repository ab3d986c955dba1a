package dev.mcphealth.infrastructure.config;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.RetryBudget;
import dev.mcphealth.infrastructure.resilience.NetflixConcurrencyLimits;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the server list MCP clients already use: Claude Desktop's claude_desktop_config.json and Claude Code's .mcp.json
 * ({@code mcpServers}), VS Code's mcp.json ({@code servers}, comments and trailing commas allowed), plus an optional
 * top-level {@code health} object with per-server settings. A problem is one {@link ConfigException} naming the file,
 * the JSON path and what is wrong; no secret value is ever part of it.
 *
 * <p>The file is UTF-8 (a byte order mark is skipped) of at most {@link #MAX_BYTES} bytes: no more than that is ever
 * read, so {@code --config /dev/zero} or an endless pipe is one error, not an exhausted heap.
 */
public final class ConfigLoader {
    /**
     * The largest configuration file read: 4 MiB. Real MCP client configurations are a few KB (one entry is a command
     * line or a URL); a thousand servers with long argument lists still fit a hundred times over.
     */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> HEALTH_KEYS = Set.of("defaults", "servers", "alerts", "breaker",
            "orchestrator", "retryBudget", "hedging", "concurrencyLimit", "callTimeout", "learning", "tuning", "prewarm");
    private static final Set<String> LEARNING_KEYS = Set.of("minuteSeconds");
    private static final Set<String> TUNING_KEYS = Set.of("trialMinutes", "probeHours");
    private static final Set<String> PREWARM_KEYS = Set.of("leadSeconds", "staySeconds");
    private static final Set<String> CALL_TIMEOUT_KEYS = Set.of("maxMs", "adaptive");
    private static final Set<String> CONCURRENCY_LIMIT_KEYS = Set.of("enabled", "algorithm", "initial", "min",
            "max");
    private static final Set<String> RETRY_BUDGET_KEYS = Set.of("ratio", "minPerSecond", "windowSeconds");
    private static final Set<String> ORCHESTRATOR_KEYS = Set.of("server", "callTimeoutMs", "workingDirectory");
    /** The longest timeout (every timeout, and the latency thresholds, which a probe never waits beyond). */
    private static final long MAX_TIMEOUT_MS = MonitoredServer.MAX_TIMEOUT.toMillis();
    private static final long MIN_INTERVAL_S = FailoverConfig.MIN_INTERVAL.toSeconds();
    private static final long MAX_INTERVAL_S = FailoverConfig.MAX_INTERVAL.toSeconds();
    private static final Set<String> ALERT_KEYS = Set.of("file", "webhook");
    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "headers");
    private static final Set<String> SETTINGS_KEYS = Set.of("serverType", "enabled", "intervalSeconds", "timeoutMs", "connectTimeoutMs",
            "thresholds", "fallback", "maxRetryAttempts", "retryDelaySeconds", "autoRecovery", "idempotentTools",
            "balancing", "standby", "auth");
    private static final Set<String> AUTH_KEYS = Set.of("grant", "clientId", "clientSecretEnv", "clientSecretFile",
            "clientAuth", "privateKeyFile", "keyId", "scopes", "authorizationServer", "resource");
    private static final Set<String> THRESHOLD_KEYS = Set.of("responseTimeWarningMs", "responseTimeCriticalMs",
            "errorRateWarning", "errorRateCritical", "offlineAfterFailures", "healthyAfterSuccesses");
    private static final Set<String> FALLBACK_KEYS = Set.of("serverType", "strategy");
    private static final Set<String> BREAKER_KEYS = Set.of("failureRate", "minimumCalls", "windowSeconds",
            "consecutiveFailures", "slowCallMs", "slowCallRate", "openSeconds", "trialCalls");

    private final Function<String, String> environment;

    /** @param environment looks up environment variables for {@code ${VAR}} in the file (System::getenv in production) */
    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    public HealthConfig load(Path file) {
        Path shown = file.normalize();
        return parse(decode(read(file, shown), shown), file);
    }

    /**
     * At most {@link #MAX_BYTES} bytes of the file, read as a stream: nothing larger is ever held, whatever the file
     * claims its size is ({@code /dev/zero} and pipes claim 0).
     */
    private static byte[] read(Path file, Path shown) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(shown + ": cannot read the configuration: it is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConfigException(shown + ": larger than the limit of " + MAX_BYTES + " bytes (4 MiB) for a"
                        + " configuration file");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ConfigException(shown + ": cannot read the configuration: no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(shown + ": cannot read the configuration: permission denied");
        } catch (FileSystemException e) {
            // its getMessage() repeats the file name; the reason alone ("Is a directory", "Not a directory") is enough
            throw new ConfigException(shown + ": cannot read the configuration: "
                    + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            throw new ConfigException(shown + ": cannot read the configuration: " + e.getMessage());
        }
    }

    /**
     * The bytes as UTF-8 text, after a UTF-8 byte order mark if there is one (Windows editors write it). Malformed
     * UTF-8 is an error naming where it starts: its line and column, and its byte offset in the file.
     */
    static String decode(byte[] bytes, Path shown) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        if (bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF
                || (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE)) {
            throw new ConfigException(shown + ": not UTF-8 but UTF-16 (it starts with a UTF-16 byte order mark);"
                    + " save it as UTF-8");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                if (c == '\n') {
                    line++;
                    column = 1;
                } else if (!Character.isLowSurrogate(c)) {
                    column++;
                }
            }
            throw new ConfigException(shown + ": line " + line + ", column " + column + ": not valid UTF-8 (byte"
                    + " offset " + in.position() + "); save it as UTF-8");
        }
        return out.toString();
    }

    /** Parses {@code text} as if read from {@code file} (which names it in messages and anchors relative cwd). */
    public HealthConfig parse(String text, Path file) {
        Path shown = file.normalize();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark read by someone else's reader
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
            throw new ConfigException(shown + ": " + where + "not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        return new Reader(shown, file.toAbsolutePath().getParent()).read(root);
    }

    /**
     * Jackson's first line, without its "(start marker at [Source: ...])" noise, without the text it quotes (in a
     * broken file that text may be an unquoted secret: "Unrecognized token 'ghp_...'"), and without the Java method
     * its limits name ("exceeds the maximum allowed (500, from `StreamReadConstraints.getMaxNestingDepth()`)" says
     * "(500)": the limit is what a person can act on).
     */
    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        int noise = line.indexOf(" (start marker at");
        if (noise < 0) {
            noise = line.indexOf(" at [Source:");
        }
        line = noise > 0 ? line.substring(0, noise) : line;
        return jsonProblem(line.replaceAll("'[^']*'", "'…'"));
    }

    /**
     * A JSON parser's message in words a person can act on: without the parser's settings and methods it names
     * ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow": not JSON, as JSON has it; "(500, from
     * `StreamReadConstraints.getMaxNestingDepth()`)": the limit alone) nor anything else in backquotes that is code.
     */
    static String jsonProblem(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return Printable.withoutCode(line.replaceAll("[:;,]? *enable `[^`]*` to allow", " (not allowed in JSON)"));
    }

    /**
     * What a message shows of a value, a key or a number from the file: at most {@link Printable#QUOTE_MAX}
     * characters, so that a huge one does not make the message as long.
     */
    static String cut(String s) {
        return s.length() <= Printable.QUOTE_MAX ? s : s.substring(0, Printable.QUOTE_MAX) + "…";
    }

    /** A list of names in a message: the first five, and how many there are when there are more. */
    static String listed(java.util.Collection<String> names) {
        if (names.size() <= 5) {
            return String.join(", ", names);
        }
        return String.join(", ", names.stream().limit(5).toList()) + ", … (" + names.size() + " in all)";
    }

    /** One pass over one file; every error names the file and the path. */
    private final class Reader {
        private final Path file;
        private final Path dir;

        Reader(Path file, Path dir) {
            this.file = file;
            this.dir = dir;
        }

        HealthConfig read(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw error("$", "the configuration must be a JSON object with an \"mcpServers\" (or \"servers\") object");
            }
            JsonNode mcp = root.get("mcpServers");
            JsonNode vscode = root.get("servers");
            if (mcp != null && vscode != null) {
                throw error("$", "has both \"mcpServers\" and \"servers\"; keep one");
            }
            String key = mcp != null ? "mcpServers" : "servers";
            JsonNode serversNode = mcp != null ? mcp : vscode;
            if (serversNode == null) {
                throw error("$", "no \"mcpServers\" (or VS Code's \"servers\") object: there is nothing to check");
            }
            requireObject(serversNode, "$." + key);
            Health health = readHealth(root.get("health"));
            List<ConfiguredServer> servers = new ArrayList<>();
            Set<String> names = new java.util.HashSet<>();
            for (Map.Entry<String, JsonNode> e : serversNode.properties()) {
                String path = child("$." + key, e.getKey());
                names.add(e.getKey());
                readServer(e.getKey(), e.getValue(), path, health).ifPresent(servers::add);
            }
            for (String named : health.servers.keySet()) {
                if (!names.contains(named)) {
                    throw error(child("$.health.servers", named), "no server of that name in $." + key);
                }
            }
            checkFallbackTypes(health, names, key);
            // the enabled ones: a disabled server is in no pool (turning one off must not make the file invalid)
            checkNamedTypes(health, servers.stream().map(s -> s.server().id().value())
                    .collect(java.util.stream.Collectors.toSet()));
            Map<ServerId, Set<String>> idempotent = new LinkedHashMap<>();
            Map<ServerId, Balancing> balancing = new LinkedHashMap<>();
            List<ServerId> standby = new ArrayList<>();
            for (ConfiguredServer s : servers) {
                String name = s.server().id().value();
                Settings own = health.defaults.overriddenBy(health.servers.getOrDefault(name, Settings.EMPTY));
                idempotent.put(s.server().id(), own.idempotentTools.orElse(Set.of()));
                balancing.put(s.server().id(), own.balancing.orElse(Balancing.DEFAULT));
                if (own.standby.orElse(false)) {
                    standby.add(s.server().id());
                }
            }
            Optional<OrchestratorSettings> orchestrator = health.orchestrator.map(o -> orchestrator(o, servers,
                    names, key));
            checkStandby(servers, standby, orchestrator);
            return new HealthConfig(file, servers, health.alerts, health.breaker, idempotent,
                    health.defaults.idempotentTools.orElse(Set.of()), orchestrator, balancing, health.callPath,
                    standby);
        }

        /**
         * Servers whose type is made from their names ({@link #typeFromName}) must not get one type by chance: servers
         * of a type are one pool, and calls and failover would move between servers that have nothing in common
         * ({@code "my server"} and {@code "my_server"}, {@code "日本語"} and {@code "中文字"}, names alike in their
         * first 64 characters). Refused, naming both and the way out (a serverType of its own); servers of one type by
         * intent say so with serverType.
         */
        private void checkNamedTypes(Health health, Set<String> names) {
            Map<String, String> byType = new java.util.HashMap<>();
            for (String name : new java.util.TreeSet<>(names)) { // the same message whatever the set's order
                if (health.servers.getOrDefault(name, Settings.EMPTY).serverType.isPresent()) {
                    continue;
                }
                String type = typeFromName(name).value();
                String other = byType.putIfAbsent(type, name);
                if (other != null) {
                    throw error(child("$.health.servers", name) + ".serverType", "servers " + Printable.quote(other)
                            + " and " + Printable.quote(name) + " would both get the type \"" + type + "\" from"
                            + " their names (a type is a failover pool); give one of them a serverType of its own,"
                            + " or both the same one if they are instances of one server");
                }
            }
        }

        /**
         * A fallback type must be the type of a server in the list (enabled or not): a fallback to a type that no
         * server has would never be used, silently, and is almost surely a typo. A type whose servers are all disabled
         * is accepted: disabling the replicas for a while must not make the file invalid; failover then finds no
         * instance, and says so.
         */
        private void checkFallbackTypes(Health health, Set<String> names, String key) {
            Set<String> types = new java.util.TreeSet<>();
            for (String name : names) {
                types.add(health.servers.getOrDefault(name, Settings.EMPTY).serverType
                        .orElseGet(() -> typeFromName(name).value()));
            }
            health.servers.forEach((name, settings) -> settings.fallbackType.ifPresent(fallback -> {
                if (!types.contains(fallback.value())) {
                    throw error(fallback.path(), "no server in $." + key + " has the type \""
                            + fallback.value() + "\" (the servers' types: " + listed(types)
                            + "); a fallback must be the serverType of other servers in the list");
                }
            }));
        }

        /**
         * A standby instance needs a pool to stand by for: at least one enabled instance of its type that is not on
         * standby, a pool whose calls may move on their own (not manual_mode), and it is not the orchestrator (which
         * must always run).
         */
        private void checkStandby(List<ConfiguredServer> enabled, List<ServerId> standby,
                                  Optional<OrchestratorSettings> orchestrator) {
            for (ServerId id : standby) {
                String path = child("$.health.servers", id.value()) + ".standby";
                if (orchestrator.isPresent() && orchestrator.get().server().equals(id)) {
                    throw error(path, "the orchestrator cannot be a standby instance: it must always run");
                }
                MonitoredServer me = enabled.stream().map(ConfiguredServer::server).filter(s -> s.id().equals(id))
                        .findFirst().orElseThrow();
                List<MonitoredServer> pool = enabled.stream().map(ConfiguredServer::server)
                        .filter(s -> s.type().equals(me.type())).toList();
                if (pool.stream().allMatch(s -> standby.contains(s.id()))) {
                    throw error(path, "every enabled instance of the pool " + Printable.quote(me.type().value())
                            + " is on standby; at least one must be in service to stand by for");
                }
                if (pool.get(0).failover().fallbackStrategy() == FallbackStrategy.MANUAL_MODE) {
                    throw error(path, "the pool " + Printable.quote(me.type().value()) + " is in manual_mode: its"
                            + " calls never move on their own, so a standby instance would never serve");
                }
            }
        }

        /** health.orchestrator must name an enabled server of the list. */
        private OrchestratorSettings orchestrator(OrchestratorRef ref, List<ConfiguredServer> enabled,
                                                  Set<String> configured, String key) {
            List<String> enabledNames = enabled.stream().map(s -> s.server().id().value()).toList();
            String known = enabledNames.isEmpty() ? "there is none" : "enabled: " + listed(enabledNames);
            if (!enabledNames.contains(ref.server())) {
                throw error(ref.path(), configured.contains(ref.server())
                        ? "the server " + Printable.quote(ref.server()) + " is disabled; the orchestrator must be an"
                        + " enabled server (" + known + ")"
                        : "no server named " + Printable.quote(ref.server()) + " in $." + key + " (" + known + ")");
            }
            return new OrchestratorSettings(ServerId.of(ref.server()), ref.callTimeout(), ref.workingDirectory());
        }

        private Optional<ConfiguredServer> readServer(String name, JsonNode node, String path, Health health) {
            requireObject(node, path);
            requirePrintable(name, path);
            ServerId id;
            try {
                id = ServerId.of(name);
            } catch (IllegalArgumentException ex) {
                throw error(path, ex.getMessage());
            }
            Settings settings = health.defaults.overriddenBy(health.servers.getOrDefault(name, Settings.EMPTY));
            if (bool(node.get("disabled"), path + ".disabled").orElse(false) || !settings.enabled.orElse(true)) {
                return Optional.empty();
            }
            Endpoint endpoint = readEndpoint(node, path);
            if (settings.auth.isPresent()) {
                if (!(endpoint instanceof Endpoint.Http http)) {
                    throw error(child("$.health.servers", name) + ".auth", "is for servers over HTTP or SSE; "
                            + Printable.quote(name) + " runs a command (stdio), which takes no OAuth token");
                }
                if ("http".equals(http.url().getScheme()) && !OAuthSettings.onLoopback(http.url())) {
                    throw error(child("$.health.servers", name) + ".auth", "needs the server at an https:// URL: an"
                            + " access token is never sent in the clear, except to this machine (127.0.0.1, [::1],"
                            + " localhost)");
                }
                if (http.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
                    throw error(child("$.health.servers", name) + ".auth", "and an Authorization header in"
                            + " mcpServers." + Printable.quote(name) + ".headers both authorize its requests; keep one");
                }
                endpoint = new Endpoint.Http(http.url(), http.headers(), http.sse(), settings.auth, http.urlSecrets());
            }
            TransportKind kind = endpoint instanceof Endpoint.Stdio ? TransportKind.STDIO
                    : ((Endpoint.Http) endpoint).sse() ? TransportKind.SSE : TransportKind.STREAMABLE_HTTP;
            String settingsPath = health.servers.containsKey(name) ? child("$.health.servers", name) : "$.health.defaults";
            try {
                ServerType type = settings.serverType.map(ServerType::of).orElseGet(() -> typeFromName(name));
                FailoverConfig defaults = FailoverConfig.defaultsFor(type);
                Optional<ServerType> fallbackType = settings.fallbackType.map(f -> ServerType.of(f.value()));
                FallbackStrategy strategy = settings.fallbackStrategy.orElse(fallbackType.isPresent()
                        ? FallbackStrategy.ALTERNATIVE_SERVER : defaults.fallbackStrategy());
                FailoverConfig failover = new FailoverConfig(type, strategy, fallbackType,
                        settings.autoRecovery.orElse(defaults.autoRecovery()),
                        settings.maxRetryAttempts.orElse(defaults.maxRetryAttempts()),
                        settings.retryDelaySeconds.map(Duration::ofSeconds).orElse(defaults.retryDelay()),
                        settings.intervalSeconds.map(Duration::ofSeconds).orElse(defaults.healthCheckInterval()),
                        Optional.empty());
                MonitoredServer server = new MonitoredServer(id, type, kind,
                        settings.timeoutMs.map(Duration::ofMillis).orElse(MonitoredServer.DEFAULT_TIMEOUT),
                        settings.connectTimeoutMs.map(Duration::ofMillis).orElse(MonitoredServer.DEFAULT_CONNECT_TIMEOUT),
                        settings.thresholds(), failover);
                return Optional.of(new ConfiguredServer(server, endpoint));
            } catch (IllegalArgumentException ex) {
                throw error(settingsPath, ex.getMessage());
            }
        }

        private Endpoint readEndpoint(JsonNode node, String path) {
            Optional<String> type = string(node.get("type"), path + ".type");
            boolean hasCommand = node.has("command");
            boolean hasUrl = node.has("url");
            String kind = type.orElse(hasCommand ? "stdio" : hasUrl ? "http" : "");
            switch (kind) {
                case "stdio": {
                    if (!hasCommand) {
                        throw error(path, "a stdio server needs a \"command\"");
                    }
                    String command = expand(string(node.get("command"), path + ".command")
                                    .orElseThrow(() -> error(path + ".command", "expected a string, got null")),
                            path + ".command");
                    if (command.isBlank()) {
                        throw error(path + ".command", "must not be empty");
                    }
                    List<String> args = new ArrayList<>();
                    List<String> argSecrets = new ArrayList<>();
                    JsonNode argsNode = node.get("args");
                    if (argsNode != null && !argsNode.isNull()) {
                        if (!argsNode.isArray()) {
                            throw error(path + ".args", "expected an array of strings, got " + describe(argsNode));
                        }
                        for (int i = 0; i < argsNode.size(); i++) {
                            String p = path + ".args[" + i + "]";
                            args.add(expand(string(argsNode.get(i), p).orElseThrow(() -> error(p, "must not be null")), p,
                                    argSecrets));
                        }
                    }
                    Map<String, String> env = stringMap(node.get("env"), path + ".env");
                    checkEnv(env, path + ".env");
                    Optional<Path> cwd = string(node.get("cwd"), path + ".cwd")
                            .map(c -> dir.resolve(expand(c, path + ".cwd")).normalize());
                    return new Endpoint.Stdio(command, args, env, cwd, argSecrets);
                }
                case "http":
                case "streamable-http":
                case "streamableHttp":
                case "sse": {
                    if (!hasUrl) {
                        throw error(path, "a remote (" + kind + ") server needs a \"url\"");
                    }
                    List<String> urlSecrets = new ArrayList<>();
                    String raw = expand(string(node.get("url"), path + ".url")
                            .orElseThrow(() -> error(path + ".url", "expected a string, got null")), path + ".url",
                            urlSecrets);
                    URI url;
                    try {
                        url = new URI(raw);
                    } catch (URISyntaxException ex) {
                        throw error(path + ".url", "is not a valid URL (" + ex.getReason() + ")");
                    }
                    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                        throw error(path + ".url", "must be an absolute http:// or https:// URL");
                    }
                    if (url.getPort() > 65535) {
                        throw error(path + ".url", "has port " + url.getPort() + "; a port is 1..65535");
                    }
                    Map<String, String> headers = stringMap(node.get("headers"), path + ".headers");
                    checkHeaders(headers, path + ".headers");
                    return new Endpoint.Http(url, headers, "sse".equals(kind), Optional.empty(), urlSecrets);
                }
                case "":
                    throw error(path, "needs either a \"command\" (stdio) or a \"url\" (http, sse)");
                default:
                    throw error(path + ".type", "must be one of stdio, http, sse, got " + Printable.quote(kind));
            }
        }

        /**
         * Environment variables a process can be given: a name of at least one character without {@code =} or NUL, a
         * value without NUL (the operating system's rules; the server would otherwise fail to start, again and again,
         * as if it were the server's fault). Values are secrets: never shown.
         */
        private void checkEnv(Map<String, String> env, String path) {
            env.forEach((name, value) -> {
                if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                    throw error(child(path, name), "is not a name an environment variable can have (not empty, no"
                            + " \"=\", no NUL)");
                }
                if (value.indexOf('\0') >= 0) {
                    throw error(child(path, name), "holds a NUL character, which no environment variable can");
                }
            });
        }

        /** Headers HTTP itself sets, which a request cannot be given (the JDK's client refuses them). */
        private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
                "upgrade");

        /**
         * Headers a request can carry: a name of HTTP's token characters, not one HTTP itself sets, a value without
         * line breaks or NUL (a header split in two is another header). Values are secrets: never shown.
         */
        private void checkHeaders(Map<String, String> headers, String path) {
            headers.forEach((name, value) -> {
                if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    throw error(child(path, name), "is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
                }
                if (RESTRICTED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    throw error(child(path, name), "is set by HTTP itself and cannot be given; restricted: "
                            + String.join(", ", new java.util.TreeSet<>(RESTRICTED_HEADERS)));
                }
                if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    throw error(child(path, name), "has a line break or NUL in its value, which no header can hold");
                }
            });
        }

        private Map<String, String> stringMap(JsonNode node, String path) {
            Map<String, String> out = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isObject()) {
                // env and headers hold secrets: name the kind of value, never the value ("Bearer ..." as one string)
                throw error(path, "expected an object of strings, got " + (node.isString() ? "a string"
                        : node.isArray() ? "an array" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String p = child(path, e.getKey());
                JsonNode v = e.getValue();
                // A secret's value is never described, only its kind.
                if (!v.isString()) {
                    throw error(p, "expected a string, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
                out.put(e.getKey(), expand(v.stringValue(), p));
            }
            return out;
        }

        private AlertTargets readAlerts(JsonNode node) {
            if (node == null || node.isNull()) {
                return AlertTargets.NONE;
            }
            requireObject(node, "$.health.alerts");
            allowOnly(node, "$.health.alerts", ALERT_KEYS);
            Optional<Path> events = string(node.get("file"), "$.health.alerts.file")
                    .map(f -> expand(f, "$.health.alerts.file"))
                    .map(f -> dir.resolve(f).toAbsolutePath().normalize());
            Optional<AlertTargets.Webhook> webhook = Optional.empty();
            JsonNode w = node.get("webhook");
            if (w != null && !w.isNull()) {
                requireObject(w, "$.health.alerts.webhook");
                allowOnly(w, "$.health.alerts.webhook", WEBHOOK_KEYS);
                JsonNode u = w.get("url");
                if (u == null || !u.isString()) {
                    throw error("$.health.alerts.webhook.url", "needs the webhook's http:// or https:// URL as a string");
                }
                // The URL is a secret (Slack's token is in its path): errors name what is wrong, never the value.
                String url = expand(u.stringValue(), "$.health.alerts.webhook.url");
                URI uri;
                try {
                    uri = new URI(url);
                } catch (java.net.URISyntaxException e) {
                    throw error("$.health.alerts.webhook.url", "is not a valid URL");
                }
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw error("$.health.alerts.webhook.url", "must be an absolute http:// or https:// URL");
                }
                Map<String, String> headers = stringMap(w.get("headers"), "$.health.alerts.webhook.headers");
                checkHeaders(headers, "$.health.alerts.webhook.headers");
                webhook = Optional.of(new AlertTargets.Webhook(uri, headers));
            }
            return new AlertTargets(events, webhook);
        }

        /**
         * health.orchestrator: a server's name, or {@code {"server": name, "callTimeoutMs": n, "workingDirectory": d}};
         * whether the name is an enabled server is checked once the servers are read.
         */
        private Optional<OrchestratorRef> readOrchestrator(JsonNode node) {
            String path = "$.health.orchestrator";
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (node.isString()) {
                return Optional.of(new OrchestratorRef(serverName(node, path), path,
                        OrchestratorSettings.DEFAULT_CALL_TIMEOUT, Optional.empty()));
            }
            if (!node.isObject()) {
                throw error(path, "expected the name of a server, or an object with \"server\", got "
                        + describe(node));
            }
            allowOnly(node, path, ORCHESTRATOR_KEYS);
            JsonNode server = node.get("server");
            if (server == null || server.isNull()) {
                throw error(path + ".server", "is required: the name of the server that is the orchestrator");
            }
            String name = serverName(server, path + ".server");
            Duration timeout = integer(node.get("callTimeoutMs"), path + ".callTimeoutMs", 1, MAX_TIMEOUT_MS)
                    .map(Duration::ofMillis).orElse(OrchestratorSettings.DEFAULT_CALL_TIMEOUT);
            Optional<Path> workingDirectory = string(node.get("workingDirectory"), path + ".workingDirectory")
                    .map(d -> expand(d, path + ".workingDirectory"))
                    .map(d -> {
                        if (d.isBlank()) {
                            throw error(path + ".workingDirectory", "must not be empty");
                        }
                        return dir.resolve(d).toAbsolutePath().normalize();
                    });
            return Optional.of(new OrchestratorRef(name, server.isString() ? path + ".server" : path, timeout,
                    workingDirectory));
        }

        private String serverName(JsonNode node, String path) {
            String name = string(node, path).orElseThrow();
            if (name.isBlank()) {
                throw error(path, "must name a server, got an empty string");
            }
            return name;
        }

        private Health readHealth(JsonNode node) {
            if (node == null || node.isNull()) {
                return new Health(Settings.EMPTY, Map.of(), AlertTargets.NONE, BreakerSettings.DEFAULTS,
                        Optional.empty(), CallPath.DEFAULT);
            }
            requireObject(node, "$.health");
            allowOnly(node, "$.health", HEALTH_KEYS);
            Settings defaults = Settings.EMPTY;
            if (node.has("defaults")) {
                defaults = readSettings(node.get("defaults"), "$.health.defaults");
                if (defaults.serverType.isPresent() || defaults.fallbackType.isPresent()) {
                    throw error("$.health.defaults", "serverType and fallback are per server; set them under"
                            + " health.servers.<name>");
                }
                if (defaults.standby.isPresent()) {
                    throw error("$.health.defaults.standby", "is per server: a pool needs an instance in service;"
                            + " set it under health.servers.<name>");
                }
                if (defaults.auth.isPresent()) {
                    throw error("$.health.defaults.auth", "is per server: each server names its own authorization"
                            + " server and client; set it under health.servers.<name>");
                }
            }
            Map<String, Settings> servers = new LinkedHashMap<>();
            JsonNode serversNode = node.get("servers");
            if (serversNode != null && !serversNode.isNull()) {
                requireObject(serversNode, "$.health.servers");
                for (Map.Entry<String, JsonNode> e : serversNode.properties()) {
                    servers.put(e.getKey(), readSettings(e.getValue(), child("$.health.servers", e.getKey())));
                }
            }
            return new Health(defaults, servers, readAlerts(node.get("alerts")), readBreaker(node.get("breaker")),
                    readOrchestrator(node.get("orchestrator")), readCallPath(node));
        }

        private CallPath readCallPath(JsonNode node) {
            JsonNode timeouts = node.get("callTimeout");
            String path = "$.health.callTimeout";
            Duration max = CallPath.CALL_TIMEOUT;
            boolean adaptive = CallPath.DEFAULT.adaptiveTimeouts();
            if (timeouts != null && !timeouts.isNull()) {
                requireObject(timeouts, path);
                allowOnly(timeouts, path, CALL_TIMEOUT_KEYS);
                // at most the session's own bound on a request (ProbeLimits.SESSION_REQUEST_TIMEOUT, 15 min)
                max = integer(timeouts.get("maxMs"), path + ".maxMs", 1000, 900_000).map(Duration::ofMillis)
                        .orElse(max);
                adaptive = bool(timeouts.get("adaptive"), path + ".adaptive").orElse(adaptive);
            }
            Duration minute = CallPath.DEFAULT.learnedMinute();
            JsonNode learning = node.get("learning");
            if (learning != null && !learning.isNull()) {
                requireObject(learning, "$.health.learning");
                allowOnly(learning, "$.health.learning", LEARNING_KEYS);
                minute = integer(learning.get("minuteSeconds"), "$.health.learning.minuteSeconds", 1, 60)
                        .map(Duration::ofSeconds).orElse(minute);
            }
            Duration trial = CallPath.DEFAULT.trialWindow();
            boolean followHours = CallPath.DEFAULT.followProbeHours();
            JsonNode tuning = node.get("tuning");
            if (tuning != null && !tuning.isNull()) {
                requireObject(tuning, "$.health.tuning");
                allowOnly(tuning, "$.health.tuning", TUNING_KEYS);
                Optional<Long> minutes = integer(tuning.get("trialMinutes"), "$.health.tuning.trialMinutes", 1, 60);
                if (minutes.isPresent() && minutes.get() != 1 && minutes.get() != 15 && minutes.get() != 60) {
                    throw error("$.health.tuning.trialMinutes", "must be 1, 15 or 60 (the monitor's windows), got "
                            + minutes.get());
                }
                trial = minutes.map(Duration::ofMinutes).orElse(trial);
                JsonNode hours = tuning.get("probeHours");
                if (hours != null && !hours.isNull()) {
                    if (!hours.isTextual() || !Set.of("advise", "follow").contains(hours.asText())) {
                        throw error("$.health.tuning.probeHours", "must be \"advise\" (the report says what each"
                                + " hour would get) or \"follow\" (the monitor follows it), got " + hours);
                    }
                    followHours = hours.asText().equals("follow");
                }
            }
            dev.mcphealth.domain.learning.Prewarm.Timing prewarm = CallPath.DEFAULT.prewarm();
            JsonNode warm = node.get("prewarm");
            if (warm != null && !warm.isNull()) {
                requireObject(warm, "$.health.prewarm");
                allowOnly(warm, "$.health.prewarm", PREWARM_KEYS);
                prewarm = new dev.mcphealth.domain.learning.Prewarm.Timing(
                        integer(warm.get("leadSeconds"), "$.health.prewarm.leadSeconds", 0, 3600)
                                .map(Duration::ofSeconds).orElse(prewarm.lead()),
                        integer(warm.get("staySeconds"), "$.health.prewarm.staySeconds", 0, 86_400)
                                .map(Duration::ofSeconds).orElse(prewarm.stay()));
            }
            return new CallPath(readRetryBudget(node.get("retryBudget")),
                    bool(node.get("hedging"), "$.health.hedging").orElse(CallPath.DEFAULT.hedging()),
                    readConcurrencyLimit(node.get("concurrencyLimit")), max, adaptive, minute, trial, prewarm,
                    followHours);
        }

        /** health.concurrencyLimit: each instance's adaptive limit; absent: on with Gradient2's defaults. */
        private Optional<NetflixConcurrencyLimits.Settings> readConcurrencyLimit(JsonNode node) {
            String path = "$.health.concurrencyLimit";
            Optional<NetflixConcurrencyLimits.Settings> d = CallPath.DEFAULT.concurrencyLimit();
            if (node == null || node.isNull()) {
                return d;
            }
            requireObject(node, path);
            allowOnly(node, path, CONCURRENCY_LIMIT_KEYS);
            if (!bool(node.get("enabled"), path + ".enabled").orElse(true)) {
                return Optional.empty();
            }
            NetflixConcurrencyLimits.Settings def = NetflixConcurrencyLimits.Settings.DEFAULT;
            NetflixConcurrencyLimits.Algorithm algorithm = def.algorithm();
            JsonNode a = node.get("algorithm");
            if (a != null && !a.isNull()) {
                String code = a.isTextual() ? a.textValue() : a.toString();
                algorithm = java.util.Arrays.stream(NetflixConcurrencyLimits.Algorithm.values())
                        .filter(x -> x.code().equals(code)).findFirst().orElseThrow(() -> error(path + ".algorithm",
                                "must be gradient2 or vegas, got " + cut(code)));
            }
            Optional<Integer> givenMin = integer(node.get("min"), path + ".min", 1, 100_000).map(Long::intValue);
            Optional<Integer> givenMax = integer(node.get("max"), path + ".max", 1, 100_000).map(Long::intValue);
            Optional<Integer> givenInitial = integer(node.get("initial"), path + ".initial", 1, 100_000)
                    .map(Long::intValue);
            // what is not said follows what is: a lower max or initial brings the default floor down with it
            int min = givenMin.orElse(Math.min(def.min(), Math.min(givenInitial.orElse(def.min()),
                    givenMax.orElse(def.min()))));
            int max = givenMax.orElse(Math.max(def.max(), Math.max(min, givenInitial.orElse(min))));
            int initial = givenInitial.orElse(Math.min(Math.max(def.initial(), min), max));
            try {
                return Optional.of(new NetflixConcurrencyLimits.Settings(algorithm, initial, min, max));
            } catch (IllegalArgumentException ex) {
                throw error(path, ex.getMessage());
            }
        }

        /** health.retryBudget: how many extra requests (failovers, replays) each pool may send; absent: defaults. */
        private RetryBudget.Settings readRetryBudget(JsonNode node) {
            String path = "$.health.retryBudget";
            if (node == null || node.isNull()) {
                return RetryBudget.Settings.DEFAULT;
            }
            requireObject(node, path);
            allowOnly(node, path, RETRY_BUDGET_KEYS);
            RetryBudget.Settings d = RetryBudget.Settings.DEFAULT;
            double ratio = optional(node.get("ratio"), path + ".ratio", JsonNode::isNumber, "a number from 0 to 1",
                    n -> {
                        double v = n.isBigDecimal() || n.isBigInteger() ? Double.NaN : n.doubleValue();
                        if (!(v >= 0 && v <= 1)) {
                            throw error(path + ".ratio", "must be from 0 to 1, got " + cut(n.toString()));
                        }
                        return v;
                    }).orElse(d.ratio());
            int perSecond = integer(node.get("minPerSecond"), path + ".minPerSecond", 0, 10_000)
                    .map(Long::intValue).orElse(d.minPerSecond());
            Duration window = integer(node.get("windowSeconds"), path + ".windowSeconds", 1, 3600)
                    .map(Duration::ofSeconds).orElse(d.window());
            return new RetryBudget.Settings(ratio, perSecond, window);
        }

        /** health.breaker: one set of breaker settings for every server; absent values are the defaults. */
        private BreakerSettings readBreaker(JsonNode node) {
            String path = "$.health.breaker";
            if (node == null || node.isNull()) {
                return BreakerSettings.DEFAULTS;
            }
            requireObject(node, path);
            allowOnly(node, path, BREAKER_KEYS);
            BreakerSettings d = BreakerSettings.DEFAULTS;
            long maxCount = BreakerSettings.MAX_COUNT;
            long maxSeconds = BreakerSettings.MAX_PERIOD.toSeconds();
            double failureRate = fraction(node.get("failureRate"), path + ".failureRate", true)
                    .orElse(d.failureRate());
            int minimumCalls = integer(node.get("minimumCalls"), path + ".minimumCalls", 1, maxCount)
                    .map(Long::intValue).orElse(d.minimumCalls());
            Duration window = integer(node.get("windowSeconds"), path + ".windowSeconds", 1, maxSeconds)
                    .map(Duration::ofSeconds).orElse(d.window());
            int consecutive = integer(node.get("consecutiveFailures"), path + ".consecutiveFailures", 1, maxCount)
                    .map(Long::intValue).orElse(d.consecutiveFailures());
            Duration slowCall = integer(node.get("slowCallMs"), path + ".slowCallMs", 1,
                    BreakerSettings.MAX_PERIOD.toMillis()).map(Duration::ofMillis).orElse(d.slowCall());
            double slowCallRate = fraction(node.get("slowCallRate"), path + ".slowCallRate", true)
                    .orElse(d.slowCallRate());
            Duration openFor = integer(node.get("openSeconds"), path + ".openSeconds", 1, maxSeconds)
                    .map(Duration::ofSeconds).orElse(d.openFor());
            int trialCalls = integer(node.get("trialCalls"), path + ".trialCalls", 1, maxCount)
                    .map(Long::intValue).orElse(d.trialCalls());
            try {
                return new BreakerSettings(failureRate, minimumCalls, window, consecutive, slowCall, slowCallRate,
                        openFor, trialCalls);
            } catch (IllegalArgumentException ex) {
                throw error(path, ex.getMessage());
            }
        }

        /** A list of tool names: the tools a failed call may be replayed on. */
        private Optional<Set<String>> toolNames(JsonNode node, String path) {
            return optional(node, path, JsonNode::isArray, "an array of tool names", list -> {
                Set<String> names = new java.util.LinkedHashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    String p = path + "[" + i + "]";
                    String name = string(list.get(i), p).orElseThrow(() -> error(p, "must not be null"));
                    if (name.isBlank()) {
                        throw error(p, "must not be empty");
                    }
                    requirePrintable(name, p);
                    names.add(name);
                }
                return Set.copyOf(names);
            });
        }

        private Settings readSettings(JsonNode node, String path) {
            requireObject(node, path);
            allowOnly(node, path, SETTINGS_KEYS);
            Optional<Located> fallbackType = Optional.empty();
            Optional<FallbackStrategy> strategy = Optional.empty();
            JsonNode fallback = node.get("fallback");
            if (fallback != null && !fallback.isNull()) {
                if (fallback.isString()) {
                    fallbackType = Optional.of(new Located(serverType(fallback.stringValue(), path + ".fallback"),
                            path + ".fallback"));
                } else {
                    requireObject(fallback, path + ".fallback");
                    allowOnly(fallback, path + ".fallback", FALLBACK_KEYS);
                    String p = path + ".fallback.serverType";
                    fallbackType = string(fallback.get("serverType"), p).map(t -> new Located(serverType(t, p), p));
                    strategy = coded(fallback.get("strategy"), path + ".fallback.strategy",
                            FallbackStrategy::fromCode);
                }
            }
            JsonNode t = node.get("thresholds");
            Map<String, JsonNode> thresholds = new LinkedHashMap<>();
            if (t != null && !t.isNull()) {
                requireObject(t, path + ".thresholds");
                allowOnly(t, path + ".thresholds", THRESHOLD_KEYS);
                t.properties().forEach(e -> thresholds.put(e.getKey(), e.getValue()));
            }
            String tp = path + ".thresholds.";
            return new Settings(
                    string(node.get("serverType"), path + ".serverType")
                            .map(type -> serverType(type, path + ".serverType")),
                    bool(node.get("enabled"), path + ".enabled"),
                    integer(node.get("intervalSeconds"), path + ".intervalSeconds", MIN_INTERVAL_S, MAX_INTERVAL_S),
                    integer(node.get("timeoutMs"), path + ".timeoutMs", 1, MAX_TIMEOUT_MS),
                    integer(node.get("connectTimeoutMs"), path + ".connectTimeoutMs", 1, MAX_TIMEOUT_MS),
                    integer(thresholds.get("responseTimeWarningMs"), tp + "responseTimeWarningMs", 1, MAX_TIMEOUT_MS),
                    integer(thresholds.get("responseTimeCriticalMs"), tp + "responseTimeCriticalMs", 1,
                            MAX_TIMEOUT_MS),
                    fraction(thresholds.get("errorRateWarning"), tp + "errorRateWarning", false),
                    fraction(thresholds.get("errorRateCritical"), tp + "errorRateCritical", false),
                    integer(thresholds.get("offlineAfterFailures"), tp + "offlineAfterFailures", 1,
                            Thresholds.MAX_COUNT).map(Long::intValue),
                    integer(thresholds.get("healthyAfterSuccesses"), tp + "healthyAfterSuccesses", 1,
                            Thresholds.MAX_COUNT).map(Long::intValue),
                    fallbackType, strategy,
                    integer(node.get("maxRetryAttempts"), path + ".maxRetryAttempts", 0,
                            FailoverConfig.MAX_RETRY_ATTEMPTS).map(Long::intValue),
                    integer(node.get("retryDelaySeconds"), path + ".retryDelaySeconds", 0,
                            FailoverConfig.MAX_RETRY_DELAY.toSeconds()),
                    bool(node.get("autoRecovery"), path + ".autoRecovery"),
                    toolNames(node.get("idempotentTools"), path + ".idempotentTools"),
                    coded(node.get("balancing"), path + ".balancing", Balancing::fromCode),
                    bool(node.get("standby"), path + ".standby"),
                    readAuth(node.get("auth"), path + ".auth"));
        }

        /**
         * health.servers.&lt;name&gt;.auth (docs/authorization.md): the grant (client_credentials when a secret or key is
         * given, else authorization_code), the client id, the secret from an environment variable or a file (never
         * written in the configuration itself), how the client authenticates, the scopes, and overrides of discovery.
         * Errors name the setting, never a secret's value.
         */
        private Optional<OAuthSettings> readAuth(JsonNode node, String path) {
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            requireObject(node, path);
            allowOnly(node, path, AUTH_KEYS);
            Optional<String> secretEnv = string(node.get("clientSecretEnv"), path + ".clientSecretEnv");
            Optional<String> secretFile = string(node.get("clientSecretFile"), path + ".clientSecretFile");
            if (secretEnv.isPresent() && secretFile.isPresent()) {
                throw error(path, "give the client secret once: clientSecretEnv or clientSecretFile, not both");
            }
            Optional<String> secret = secretEnv.map(name -> {
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
                    // perhaps the secret itself pasted here: never quoted
                    throw error(path + ".clientSecretEnv", "must be the name of an environment variable (letters,"
                            + " digits and _), not the secret itself");
                }
                String value = environment.apply(name);
                if (value == null || value.isBlank()) {
                    throw error(path + ".clientSecretEnv", "names the environment variable " + cut(name)
                            + ", which is not set");
                }
                return value.strip();
            }).or(() -> secretFile.map(f -> secretFrom(dir.resolve(expand(f, path + ".clientSecretFile")),
                    path + ".clientSecretFile")));
            Optional<java.security.PrivateKey> key = string(node.get("privateKeyFile"), path + ".privateKeyFile")
                    .map(f -> {
                        Path file = dir.resolve(expand(f, path + ".privateKeyFile"));
                        try {
                            return PrivateKeys.read(file);
                        } catch (IllegalArgumentException e) {
                            throw error(path + ".privateKeyFile", e.getMessage());
                        }
                    });
            Optional<OAuthSettings.Grant> grant = coded(node.get("grant"), path + ".grant",
                    OAuthSettings.Grant::fromCode);
            Optional<OAuthSettings.ClientAuth> clientAuth = coded(node.get("clientAuth"), path + ".clientAuth",
                    OAuthSettings.ClientAuth::fromCode);
            OAuthSettings.Grant g = grant.orElse(secret.isPresent() || key.isPresent()
                    ? OAuthSettings.Grant.CLIENT_CREDENTIALS : OAuthSettings.Grant.AUTHORIZATION_CODE);
            OAuthSettings.ClientAuth a = clientAuth.orElse(key.isPresent() ? OAuthSettings.ClientAuth.PRIVATE_KEY_JWT
                    : secret.isPresent() ? OAuthSettings.ClientAuth.CLIENT_SECRET_BASIC : OAuthSettings.ClientAuth.NONE);
            List<String> scopes = new ArrayList<>();
            JsonNode s = node.get("scopes");
            if (s != null && !s.isNull()) {
                if (!s.isArray()) {
                    throw error(path + ".scopes", "expected an array of scope names, got " + describe(s));
                }
                for (int i = 0; i < s.size(); i++) {
                    JsonNode one = s.get(i);
                    if (!one.isString() || !one.stringValue().matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                        throw error(path + ".scopes[" + i + "]", "a scope is one word of printable ASCII (no"
                                + " space, quote or backslash), got " + describe(one));
                    }
                    scopes.add(one.stringValue());
                }
            }
            try {
                return Optional.of(new OAuthSettings(g, string(node.get("clientId"), path + ".clientId"), secret, a,
                        key, string(node.get("keyId"), path + ".keyId"), scopes,
                        httpUrl(node.get("authorizationServer"), path + ".authorizationServer"),
                        httpUrl(node.get("resource"), path + ".resource")));
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
        }

        /** The first line of a secret file, trimmed; errors say what is wrong with the file, never its content. */
        private String secretFrom(Path file, String path) {
            List<String> lines;
            try {
                lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw error(path, "cannot read " + file + " (" + (e instanceof java.nio.file.NoSuchFileException
                        ? "no such file" : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : "not a readable text file") + ")");
            }
            String first = lines.isEmpty() ? "" : lines.get(0).strip();
            if (first.isEmpty()) {
                throw error(path, file + " is empty: its first line should be the client secret");
            }
            return first;
        }

        /** An absolute http(s) URL without user info, or empty. */
        private Optional<URI> httpUrl(JsonNode node, String path) {
            return string(node, path).map(v -> {
                URI uri;
                try {
                    uri = new URI(expand(v, path));
                } catch (java.net.URISyntaxException e) {
                    throw error(path, "is not a valid URL");
                }
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                    throw error(path, "must be an absolute http:// or https:// URL without user info or fragment");
                }
                return uri;
            });
        }

        /** Expands ${VAR}, ${VAR:-default} and VS Code's ${env:VAR} from the environment. */
        private String expand(String value, String path) {
            return expand(value, path, new ArrayList<>());
        }

        /** Words of a variable's name that make its value a credential: {@code API_KEY}, {@code GITHUB_TOKEN} ... */
        private static final Set<String> SECRET_WORDS = Set.of("KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD",
                "PASSWD", "PASS", "PWD", "AUTH", "CREDENTIAL", "CREDENTIALS", "PAT", "SESSION", "COOKIE");

        /**
         * Whether the value of variable {@code name}, put into a server's arguments, is a credential and so a secret
         * like an env or header value: a word of its name (between underscores) is one of {@link #SECRET_WORDS}, or
         * ends in KEY, TOKEN, SECRET or PASSWORD. Other values (a port, a mode, a directory) would, redacted
         * wherever they appear, mangle every message ("info" in "information").
         */
        static boolean credential(String name) {
            if (name.equals("PWD")) {
                return false; // the working directory
            }
            for (String word : name.toUpperCase(java.util.Locale.ROOT).split("_")) {
                if (SECRET_WORDS.contains(word) || word.endsWith("KEY") || word.endsWith("TOKEN")
                        || word.endsWith("SECRET") || word.endsWith("PASSWORD")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * As above; each value a {@link #credential} variable gives (not a default written in the file) added to
         * {@code secrets}.
         */
        private String expand(String value, String path, List<String> secrets) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < value.length()) {
                int start = value.indexOf("${", i);
                if (start < 0) {
                    out.append(value, i, value.length());
                    break;
                }
                int end = value.indexOf('}', start);
                if (end < 0) {
                    throw error(path, "has an unclosed \"${\"");
                }
                out.append(value, i, start);
                String expr = value.substring(start + 2, end);
                String name = expr.startsWith("env:") ? expr.substring(4) : expr;
                String fallback = null;
                int dash = name.indexOf(":-");
                if (dash >= 0) {
                    fallback = name.substring(dash + 2);
                    name = name.substring(0, dash);
                }
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    // the default may be a secret (an env or header value): show the reference without it
                    String shown = fallback == null ? expr : expr.substring(0, expr.length() - fallback.length()) + "…";
                    throw error(path, "uses \"${" + cut(shown) + "}\", which cannot be resolved here (only ${VAR},"
                            + " ${VAR:-default} and ${env:VAR} are)");
                }
                String resolved = environment.apply(name);
                if (resolved == null) {
                    if (fallback == null) {
                        throw error(path, "uses the environment variable " + cut(name) + ", which is not set");
                    }
                    resolved = fallback;
                } else if (credential(name)) {
                    secrets.add(resolved);
                }
                out.append(resolved);
                i = end + 1;
            }
            return out.toString();
        }

        private void allowOnly(JsonNode node, String path, Set<String> allowed) {
            for (String key : node.propertyNames()) {
                if (!allowed.contains(key)) {
                    throw error(child(path, key), "unknown setting; known: " + String.join(", ",
                            new java.util.TreeSet<>(allowed)));
                }
            }
        }

        private void requireObject(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "expected an object, got " + describe(node));
            }
        }

        /**
         * A setting that may be left out (absent or null: empty) and is otherwise of the JSON type {@code is} accepts:
         * what {@code read} makes of it, else an error at {@code path} saying what was {@code expected}.
         */
        private <T> Optional<T> optional(JsonNode node, String path, java.util.function.Predicate<JsonNode> is,
                                         String expected, java.util.function.Function<JsonNode, T> read) {
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!is.test(node)) {
                throw error(path, "expected " + expected + ", got " + describe(node));
            }
            return Optional.of(read.apply(node));
        }

        /** A value of a closed set, by its code; one that is not is an error naming the path and the codes. */
        private <T> Optional<T> coded(JsonNode node, String path, java.util.function.Function<String, T> fromCode) {
            return string(node, path).map(code -> {
                try {
                    return fromCode.apply(code);
                } catch (IllegalArgumentException ex) {
                    throw error(path, ex.getMessage());
                }
            });
        }

        private Optional<String> string(JsonNode node, String path) {
            return optional(node, path, JsonNode::isString, "a string", JsonNode::stringValue);
        }

        private Optional<Boolean> bool(JsonNode node, String path) {
            return optional(node, path, JsonNode::isBoolean, "true or false", JsonNode::booleanValue);
        }

        /** {@code type} if it is a legal server type name, else an error at {@code path}. */
        private String serverType(String type, String path) {
            try {
                return ServerType.of(type).value();
            } catch (IllegalArgumentException ex) {
                throw error(path, ex.getMessage());
            }
        }

        /** A whole number in {@code min..max}, the setting's own range, which the message names. */
        private Optional<Long> integer(JsonNode node, String path, long min, long max) {
            return optional(node, path, JsonNode::isIntegralNumber, "a whole number (" + min + ".." + max + ")", n -> {
                if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
                    throw error(path, "must be " + min + ".." + max + ", got " + cut(n.toString()));
                }
                return n.longValue();
            });
        }

        /**
         * A fraction above 0 and below 1, or at most 1 when {@code oneAllowed}: a rate or a share of calls. The message
         * names the setting's own range.
         */
        private Optional<Double> fraction(JsonNode node, String path, boolean oneAllowed) {
            String range = oneAllowed ? "above 0 and at most 1" : "above 0 and below 1";
            return optional(node, path, JsonNode::isNumber, "a number " + range, n -> {
                double v;
                try {
                    v = n.doubleValue();
                } catch (JacksonException beyondDouble) {
                    // a number of hundreds of digits: far out of any range (Jackson refuses to make it a double)
                    v = Double.NaN;
                }
                if (!(v > 0 && (oneAllowed ? v <= 1 : v < 1))) {
                    throw error(path, "must be " + range + ", got " + cut(n.toString()));
                }
                return v;
            });
        }

        /**
         * A name (of a server, a tool) must not hold control or bidirectional formatting characters: such a name is
         * hostile rather than mistyped (it would recolour a terminal or reverse a table's text), so it is refused
         * here, before anything shows it.
         */
        private void requirePrintable(String name, String path) {
            int at = Printable.firstUnsafe(name);
            if (at >= 0) {
                throw error(path, "the name has a control or bidirectional formatting character ("
                        + Printable.codePoint(name.charAt(at)) + " at index " + at + "); rename it");
            }
        }

        private ConfigException error(String path, String what) {
            return new ConfigException(file + ": " + path + ": " + what);
        }
    }

    private static String describe(JsonNode node) {
        if (node.isString()) {
            String s = node.stringValue();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (node.isContainer()) {
            return node.isArray() ? "an array" : "an object";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + cut(node.toString());
    }

    /** The JSON path of a key under {@code parent}; a huge key is cut ({@link #cut}). */
    static String child(String parent, String key) {
        String shown = cut(key);
        return key.matches("[A-Za-z_][A-Za-z0-9_-]*") ? parent + "." + shown
                : parent + "[\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** A server name that is not a legal type name becomes one: illegal characters turn into underscores. */
    static ServerType typeFromName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!Character.isLetterOrDigit(cleaned.charAt(0))) {
            cleaned = "s" + cleaned;
        }
        return ServerType.of(cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned);
    }

    /** A value as written and the JSON path it was written at. */
    private record Located(String value, String path) {
    }

    private record Health(Settings defaults, Map<String, Settings> servers, AlertTargets alerts,
                          BreakerSettings breaker, Optional<OrchestratorRef> orchestrator,
                          CallPath callPath) {
    }

    /** health.orchestrator as written: the server's name and the path it was given at. */
    private record OrchestratorRef(String server, String path, Duration callTimeout, Optional<Path> workingDirectory) {
    }

    /** Settings as written; absent values fall back to the defaults object, then to the built-in defaults. */
    private record Settings(
            Optional<String> serverType,
            Optional<Boolean> enabled,
            Optional<Long> intervalSeconds,
            Optional<Long> timeoutMs,
            Optional<Long> connectTimeoutMs,
            Optional<Long> responseTimeWarningMs,
            Optional<Long> responseTimeCriticalMs,
            Optional<Double> errorRateWarning,
            Optional<Double> errorRateCritical,
            Optional<Integer> offlineAfterFailures,
            Optional<Integer> healthyAfterSuccesses,
            Optional<Located> fallbackType,
            Optional<FallbackStrategy> fallbackStrategy,
            Optional<Integer> maxRetryAttempts,
            Optional<Long> retryDelaySeconds,
            Optional<Boolean> autoRecovery,
            Optional<Set<String>> idempotentTools,
            Optional<Balancing> balancing,
            Optional<Boolean> standby,
            Optional<OAuthSettings> auth) {

        static final Settings EMPTY = new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());

        Settings overriddenBy(Settings o) {
            return new Settings(
                    o.serverType.or(() -> serverType),
                    o.enabled.or(() -> enabled),
                    o.intervalSeconds.or(() -> intervalSeconds),
                    o.timeoutMs.or(() -> timeoutMs),
                    o.connectTimeoutMs.or(() -> connectTimeoutMs),
                    o.responseTimeWarningMs.or(() -> responseTimeWarningMs),
                    o.responseTimeCriticalMs.or(() -> responseTimeCriticalMs),
                    o.errorRateWarning.or(() -> errorRateWarning),
                    o.errorRateCritical.or(() -> errorRateCritical),
                    o.offlineAfterFailures.or(() -> offlineAfterFailures),
                    o.healthyAfterSuccesses.or(() -> healthyAfterSuccesses),
                    o.fallbackType.or(() -> fallbackType),
                    o.fallbackStrategy.or(() -> fallbackStrategy),
                    o.maxRetryAttempts.or(() -> maxRetryAttempts),
                    o.retryDelaySeconds.or(() -> retryDelaySeconds),
                    o.autoRecovery.or(() -> autoRecovery),
                    o.idempotentTools.or(() -> idempotentTools),
                    o.balancing.or(() -> balancing),
                    o.standby.or(() -> standby),
                    o.auth.or(() -> auth));
        }

        Thresholds thresholds() {
            Thresholds d = Thresholds.DEFAULTS;
            return new Thresholds(
                    responseTimeWarningMs.map(Duration::ofMillis).orElse(d.responseTimeWarning()),
                    responseTimeCriticalMs.map(Duration::ofMillis).orElse(d.responseTimeCritical()),
                    errorRateWarning.orElse(d.errorRateWarning()),
                    errorRateCritical.orElse(d.errorRateCritical()),
                    offlineAfterFailures.orElse(d.offlineAfterFailures()),
                    healthyAfterSuccesses.orElse(d.healthyAfterSuccesses()));
        }
    }
}
