package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.RetryBudget;
import dev.mcphealth.infrastructure.resilience.NetflixConcurrencyLimits;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses configuration text without touching the file system; the environment is a map. */
class ConfigLoaderTest {
    private static final Path FILE = Path.of("test/mcp.json");
    private static final String SECRET = "s3cr3t-token-value";

    private final Map<String, String> env = new HashMap<>();

    private HealthConfig parse(String json) {
        return new ConfigLoader(env::get).parse(json, FILE);
    }

    private String error(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
    }

    /** The message is "file: path: problem", with the path exactly as given. */
    private void assertError(String json, String path, String problem) {
        String message = error(json);
        assertTrue(message.startsWith("test/mcp.json: " + path + ": "), "path " + path + " in: " + message);
        assertTrue(message.contains(problem), "problem \"" + problem + "\" in: " + message);
    }

    private static ConfiguredServer server(HealthConfig config, String name) {
        ConfiguredServer s = config.all().get(ServerId.of(name));
        if (s == null) {
            throw new AssertionError("no server " + name + " in " + config.all().keySet());
        }
        return s;
    }

    private static Endpoint.Stdio stdio(HealthConfig config, String name) {
        return assertInstanceOf(Endpoint.Stdio.class, server(config, name).endpoint());
    }

    private static Endpoint.Http http(HealthConfig config, String name) {
        return assertInstanceOf(Endpoint.Http.class, server(config, name).endpoint());
    }

    private static List<String> names(HealthConfig config) {
        return config.servers().stream().map(s -> s.id().value()).toList();
    }

    @Nested
    class Formats {

        @Test
        void claudeDesktopStdioServers() {
            HealthConfig config = parse("""
                    {
                      "mcpServers": {
                        "filesystem": {
                          "command": "npx",
                          "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"],
                          "env": {"NODE_ENV": "production"}
                        },
                        "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}
                      }
                    }
                    """);

            assertEquals(FILE, config.file());
            assertEquals(List.of("filesystem", "memory"), names(config));
            Endpoint.Stdio fs = stdio(config, "filesystem");
            assertEquals("npx", fs.command());
            assertEquals(List.of("-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"), fs.args());
            assertEquals(Map.of("NODE_ENV", "production"), fs.env());
            assertEquals(Optional.empty(), fs.cwd());
            assertEquals(Map.of(), stdio(config, "memory").env());
            assertEquals(TransportKind.STDIO, server(config, "filesystem").server().transport());
        }

        @Test
        void serversGetTheBuiltInDefaults() {
            MonitoredServer s = parse("""
                    {"mcpServers": {"memory": {"command": "npx"}}}
                    """).servers().get(0);
            assertEquals(ServerId.of("memory"), s.id());
            assertEquals(ServerType.of("memory"), s.type());
            assertEquals(MonitoredServer.DEFAULT_TIMEOUT, s.timeout());
            assertEquals(MonitoredServer.DEFAULT_CONNECT_TIMEOUT, s.connectTimeout());
            assertEquals(Thresholds.DEFAULTS, s.thresholds());
            assertEquals(FailoverConfig.defaultsFor(ServerType.of("memory")), s.failover());
        }

        @Test
        void claudeCodeWithExplicitTypes() {
            env.put("API_TOKEN", "tok-123");
            HealthConfig config = parse("""
                    {"mcpServers": {
                      "local": {"type": "stdio", "command": "/usr/local/bin/tool", "args": [], "env": {}},
                      "remote": {"type": "http", "url": "https://mcp.example.com/mcp",
                                 "headers": {"Authorization": "Bearer ${API_TOKEN}"}},
                      "legacy": {"type": "sse", "url": "http://localhost:8080/sse"}
                    }}
                    """);

            assertEquals(TransportKind.STDIO, server(config, "local").server().transport());
            assertEquals("/usr/local/bin/tool", stdio(config, "local").command());
            Endpoint.Http remote = http(config, "remote");
            assertEquals(URI.create("https://mcp.example.com/mcp"), remote.url());
            assertEquals(Map.of("Authorization", "Bearer tok-123"), remote.headers());
            assertFalse(remote.sse());
            assertEquals(TransportKind.STREAMABLE_HTTP, server(config, "remote").server().transport());
            assertTrue(http(config, "legacy").sse());
            assertEquals(TransportKind.SSE, server(config, "legacy").server().transport());
        }

        @Test
        void vsCodeServersWithCommentsAndTrailingCommas() {
            env.put("EVENTS_KEY", "ek-1");
            HealthConfig config = parse("""
                    {
                      // VS Code's .vscode/mcp.json
                      "inputs": [{"type": "promptString", "id": "token"}],
                      "servers": {
                        /* remote, streamable HTTP */
                        "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",},
                        "events": {
                          "type": "sse",
                          "url": "https://events.example.com/sse",
                          "headers": {"X-Key": "${env:EVENTS_KEY}",},
                        },
                        "git": {"type": "stdio", "command": "uvx", "args": ["mcp-server-git",],},
                      },
                    }
                    """);

            assertEquals(List.of("github", "events", "git"), names(config));
            assertEquals(TransportKind.STREAMABLE_HTTP, server(config, "github").server().transport());
            assertEquals(TransportKind.SSE, server(config, "events").server().transport());
            assertEquals(Map.of("X-Key", "ek-1"), http(config, "events").headers());
            assertEquals(List.of("mcp-server-git"), stdio(config, "git").args());
        }

        @Test
        void typeIsInferredFromCommandOrUrl() {
            HealthConfig config = parse("""
                    {"mcpServers": {"cmd": {"command": "server"}, "web": {"url": "https://x.example/mcp"}}}
                    """);
            assertEquals(TransportKind.STDIO, server(config, "cmd").server().transport());
            assertEquals(TransportKind.STREAMABLE_HTTP, server(config, "web").server().transport());
            assertFalse(http(config, "web").sse());
        }

        @ParameterizedTest
        @ValueSource(strings = {"http", "streamable-http", "streamableHttp"})
        void streamableHttpHasSeveralSpellings(String type) {
            HealthConfig config = parse("{\"mcpServers\": {\"w\": {\"type\": \"" + type
                    + "\", \"url\": \"http://localhost:3000/mcp\"}}}");
            assertEquals(TransportKind.STREAMABLE_HTTP, server(config, "w").server().transport());
        }

        @Test
        void cwdIsResolvedAgainstTheConfigurationsDirectory() {
            Endpoint.Stdio s = stdio(parse("""
                    {"mcpServers": {"x": {"command": "run", "cwd": "sub/../work"}}}
                    """), "x");
            assertEquals(Optional.of(FILE.toAbsolutePath().getParent().resolve("work")), s.cwd());
        }

        @Test
        void nullArgsEnvAndHeadersAreEmpty() {
            HealthConfig config = parse("""
                    {"mcpServers": {"x": {"command": "run", "args": null, "env": null},
                                    "y": {"url": "https://h.example", "headers": null}}}
                    """);
            assertEquals(List.of(), stdio(config, "x").args());
            assertEquals(Map.of(), stdio(config, "x").env());
            assertEquals(Map.of(), http(config, "y").headers());
        }

        @Test
        void anEmptyServerListIsValid() {
            assertEquals(List.of(), parse("{\"mcpServers\": {}}").servers());
        }

        @Test
        void endpointsAreFoundById() {
            HealthConfig config = parse("{\"mcpServers\": {\"x\": {\"command\": \"run\"}}}");
            assertTrue(config.endpoint(ServerId.of("x")).isPresent());
            assertEquals(Optional.empty(), config.endpoint(ServerId.of("y")));
        }
    }

    @Nested
    class Disabling {

        @Test
        void disabledServersAndServersWithEnabledFalseAreSkipped() {
            HealthConfig config = parse("""
                    {"mcpServers": {
                       "a": {"command": "x", "disabled": true},
                       "b": {"command": "x", "disabled": false},
                       "c": {"command": "x"}
                     },
                     "health": {"servers": {"c": {"enabled": false}}}}
                    """);
            assertEquals(List.of("b"), names(config));
        }

        @Test
        void aDisabledServersEndpointIsNotRead() {
            HealthConfig config = parse("""
                    {"mcpServers": {"a": {"command": "${NOT_SET_ANYWHERE}", "disabled": true},
                                    "b": {"url": "ftp://nowhere"}},
                     "health": {"servers": {"b": {"enabled": false}}}}
                    """);
            assertEquals(List.of(), names(config));
        }

        @Test
        void enabledInDefaultsCanBeOverriddenPerServer() {
            HealthConfig config = parse("""
                    {"mcpServers": {"a": {"command": "x"}, "b": {"command": "x"}},
                     "health": {"defaults": {"enabled": false}, "servers": {"b": {"enabled": true}}}}
                    """);
            assertEquals(List.of("b"), names(config));
        }
    }

    @Nested
    class Variables {

        @Test
        void aCredentialTheEnvironmentPutsInAnArgumentIsASecretButAPortOrADirectoryIsNot() {
            env.putAll(Map.of("API_KEY", "sk-live-123456", "HOME", "/home/someone", "LOG_LEVEL", "info"));
            Endpoint.Stdio x = stdio(parse("""
                    {"mcpServers": {"x": {"command": "server", "args": ["--api-key=${API_KEY}", "${HOME}/data",
                      "--log=${LOG_LEVEL}", "--port=${PORT:-8080}", "--token=${GH_TOKEN:-none-given}", "--plain"]}}}
                    """), "x");
            assertEquals(List.of("--api-key=sk-live-123456", "/home/someone/data", "--log=info", "--port=8080",
                    "--token=none-given", "--plain"), x.args());
            assertEquals(List.of("sk-live-123456"), x.secrets(), "redacted from every message like an env value");
            assertEquals("failed: *** refused", Redactor.of(x).redact("failed: sk-live-123456 refused"));
        }

        @Test
        void aCredentialTheEnvironmentPutsInAUrlsPathIsASecretAndNotShown() {
            env.putAll(Map.of("API_KEY", "k-live-98765", "REGION", "eu"));
            Endpoint.Http y = http(parse("""
                    {"mcpServers": {"y": {"url": "https://mcp.example.com/${REGION}/${API_KEY}/sse", "type": "sse"}}}
                    """), "y");
            assertEquals("https://mcp.example.com/eu/k-live-98765/sse", y.url().toString());
            assertEquals(List.of("k-live-98765"), y.secrets(), "redacted from every message like a header value");
            assertEquals("https://mcp.example.com/eu/***/sse", y.display());
            assertFalse(y.toString().contains("k-live-98765"), y.toString());
        }

        @Test
        void expandsVarVarWithDefaultAndEnvVar() {
            env.putAll(Map.of("TOOLS", "/opt/tools", "MODE", "prod", "HOME_DIR", "/home/me", "API_TOKEN", "tok123",
                    "A", "1", "B", "2", "WORK", "/srv/work", "HOST", "mcp.example.com", "KEY", "k9"));
            HealthConfig config = parse("""
                    {"mcpServers": {
                      "x": {
                        "command": "${TOOLS}/bin/server",
                        "args": ["--port=${PORT:-8080}", "--mode=${MODE:-dev}", "${env:HOME_DIR}", "$HOME", "plain"],
                        "env": {"TOKEN": "${API_TOKEN}", "BOTH": "${A}-${B}", "EMPTY_DEFAULT": "${UNSET:-}"},
                        "cwd": "${WORK}"
                      },
                      "y": {"url": "https://${HOST}/mcp?key=${KEY}",
                            "headers": {"Authorization": "Bearer ${env:API_TOKEN}"}}
                    }}
                    """);

            Endpoint.Stdio x = stdio(config, "x");
            assertEquals("/opt/tools/bin/server", x.command());
            assertEquals(List.of("--port=8080", "--mode=prod", "/home/me", "$HOME", "plain"), x.args());
            assertEquals(Map.of("TOKEN", "tok123", "BOTH", "1-2", "EMPTY_DEFAULT", ""), x.env());
            assertEquals(Optional.of(Path.of("/srv/work")), x.cwd());
            Endpoint.Http y = http(config, "y");
            assertEquals(URI.create("https://mcp.example.com/mcp?key=k9"), y.url());
            assertEquals(Map.of("Authorization", "Bearer tok123"), y.headers());
        }

        @Test
        void anUnsetVariableNamesThePathAndTheVariable() {
            assertError("""
                    {"mcpServers": {"x": {"command": "npx", "args": ["-y", "${MISSING_VAR}"]}}}
                    """, "$.mcpServers.x.args[1]", "uses the environment variable MISSING_VAR, which is not set");
            assertError("""
                    {"mcpServers": {"y": {"url": "https://h.example", "headers": {"X-Api-Key": "${env:NOPE}"}}}}
                    """, "$.mcpServers.y.headers.X-Api-Key", "environment variable NOPE, which is not set");
            assertError("""
                    {"mcpServers": {"z": {"command": "${BIN}"}}}
                    """, "$.mcpServers.z.command", "environment variable BIN");
        }

        @Test
        void anUnclosedReferenceIsAnError() {
            assertError("""
                    {"mcpServers": {"x": {"command": "run", "env": {"T": "abc${OOPS"}}}}
                    """, "$.mcpServers.x.env.T", "has an unclosed \"${\"");
        }

        @Test
        void vsCodeInputReferencesCannotBeResolved() {
            assertError("""
                    {"servers": {"x": {"url": "https://h.example", "headers": {"Authorization": "${input:token}"}}}}
                    """, "$.servers.x.headers.Authorization", "which cannot be resolved here");
        }
    }

    @Nested
    class HealthSettings {

        @Test
        void eachPoolIsBalancedAsItsFirstServerSaysTheDefaultsElseByTwoChoices() {
            HealthConfig config = parse("""
                    {"mcpServers": {"m1": {"command": "a"}, "m2": {"command": "b"}, "f1": {"command": "c"},
                                    "f2": {"command": "d"}, "p1": {"command": "e"}},
                     "health": {
                       "defaults": {"balancing": "priority"},
                       "servers": {
                         "m1": {"serverType": "memory", "balancing": "sticky"},
                         "m2": {"serverType": "memory", "balancing": "p2c"},
                         "f1": {"serverType": "files", "balancing": "p2c"},
                         "f2": {"serverType": "files"}
                       }}}
                    """);

            assertEquals(Map.of(ServerType.of("memory"), Balancing.STICKY, ServerType.of("files"), Balancing.P2C,
                    ServerType.of("p1"), Balancing.PRIORITY), config.balancing());
            assertEquals(Map.of(ServerType.of("x"), Balancing.P2C),
                    parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}").balancing(), "the default");
        }

        @Test
        void theRetryBudgetIsReadWithItsDefaultsAndABadValueIsNamed() {
            assertEquals(RetryBudget.Settings.DEFAULT, parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}")
                    .retryBudget());
            assertEquals(new RetryBudget.Settings(0.5, 2, Duration.ofSeconds(30)), parse("""
                    {"mcpServers": {"x": {"command": "a"}},
                     "health": {"retryBudget": {"ratio": 0.5, "minPerSecond": 2, "windowSeconds": 30}}}
                    """).retryBudget());
            assertEquals(new RetryBudget.Settings(0.2, 0, Duration.ofSeconds(10)), parse("""
                    {"mcpServers": {"x": {"command": "a"}}, "health": {"retryBudget": {"minPerSecond": 0}}}
                    """).retryBudget(), "what is not said is the default");
            assertError("""
                    {"mcpServers": {"x": {"command": "a"}}, "health": {"retryBudget": {"ratio": 2}}}
                    """, "$.health.retryBudget.ratio", "must be from 0 to 1, got 2");
            assertEquals(0.0, parse("""
                    {"mcpServers": {"x": {"command": "a"}}, "health": {"retryBudget": {"ratio": 0}}}
                    """).retryBudget().ratio(), "the floor alone");
            assertError("""
                    {"mcpServers": {"x": {"command": "a"}}, "health": {"retryBudget": {"percent": 20}}}
                    """, "$.health.retryBudget.percent", "unknown setting; known: minPerSecond, ratio, windowSeconds");
        }

        @Test
        void theCallTimeoutIsThirtySecondsAdaptiveByDefaultAndCanBeSetOrMadeFixed() {
            String x = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}";
            HealthConfig d = parse(x + "}");
            assertEquals(Duration.ofSeconds(30), d.callTimeout());
            assertTrue(d.adaptiveTimeouts());
            HealthConfig set = parse(x + ", \"health\": {\"callTimeout\": {\"maxMs\": 120000, \"adaptive\": false}}}");
            assertEquals(Duration.ofMinutes(2), set.callTimeout());
            assertFalse(set.adaptiveTimeouts());
            assertError(x + ", \"health\": {\"callTimeout\": {\"maxMs\": 10}}}", "$.health.callTimeout.maxMs",
                    "1000");
            assertError(x + ", \"health\": {\"callTimeout\": {\"adaptive\": \"yes\"}}}",
                    "$.health.callTimeout.adaptive", "true or false");
            assertError(x + ", \"health\": {\"callTimeout\": {\"ms\": 5}}}", "$.health.callTimeout.ms",
                    "unknown setting; known: adaptive, maxMs");
            assertError(x + ", \"health\": {\"callTimeout\": 30000}}", "$.health.callTimeout", "object");
        }

        @Test
        void aLearnedMinuteIsAMinuteByDefaultAndCanBeCompressedToASecond() {
            String x = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}";
            assertEquals(Duration.ofMinutes(1), parse(x + "}").learnedMinute());
            assertEquals(Duration.ofSeconds(1), parse(x + ", \"health\": {\"learning\": {\"minuteSeconds\": 1}}}")
                    .learnedMinute());
            assertError(x + ", \"health\": {\"learning\": {\"minuteSeconds\": 0}}}",
                    "$.health.learning.minuteSeconds", "1");
            assertError(x + ", \"health\": {\"learning\": {\"minuteSeconds\": 61}}}",
                    "$.health.learning.minuteSeconds", "60");
            assertError(x + ", \"health\": {\"learning\": {\"zone\": \"UTC\"}}}", "$.health.learning.zone",
                    "unknown setting; known: minuteSeconds");
            assertError(x + ", \"health\": {\"learning\": 1}}", "$.health.learning", "object");
        }

        @Test
        void aChangeIsOnTrialForFifteenMinutesByDefaultOrForOneOfTheMonitorsOtherWindows() {
            String x = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}";
            assertEquals(Duration.ofMinutes(15), parse(x + "}").trialWindow());
            assertEquals(Duration.ofMinutes(1), parse(x + ", \"health\": {\"tuning\": {\"trialMinutes\": 1}}}")
                    .trialWindow());
            assertEquals(Duration.ofHours(1), parse(x + ", \"health\": {\"tuning\": {\"trialMinutes\": 60}}}")
                    .trialWindow());
            assertError(x + ", \"health\": {\"tuning\": {\"trialMinutes\": 5}}}",
                    "$.health.tuning.trialMinutes", "must be 1, 15 or 60 (the monitor's windows), got 5");
            assertError(x + ", \"health\": {\"tuning\": {\"trialMinutes\": 0}}}",
                    "$.health.tuning.trialMinutes", "1..60");
            assertError(x + ", \"health\": {\"tuning\": {\"trial\": 1}}}", "$.health.tuning.trial",
                    "unknown setting; known: ");
        }

        @Test
        void probeHoursAreAdvisedByDefaultAndFollowedWhenAskedFor() {
            String x = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}";
            assertFalse(parse(x + "}").followProbeHours());
            assertFalse(parse(x + ", \"health\": {\"tuning\": {\"probeHours\": \"advise\"}}}").followProbeHours());
            assertTrue(parse(x + ", \"health\": {\"tuning\": {\"probeHours\": \"follow\"}}}").followProbeHours());
            assertError(x + ", \"health\": {\"tuning\": {\"probeHours\": \"always\"}}}",
                    "$.health.tuning.probeHours", "must be \"advise\" (the report says what each hour would get) or"
                            + " \"follow\" (the monitor follows it), got \"always\"");
            assertError(x + ", \"health\": {\"tuning\": {\"probeHours\": true}}}",
                    "$.health.tuning.probeHours", "got true");
        }

        @Test
        void theConcurrencyLimitIsOnWithGradientDefaultsAndCanBeSetOrTurnedOff() {
            String x = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}";
            assertEquals(Optional.of(NetflixConcurrencyLimits.Settings.DEFAULT), parse(x + "}").concurrencyLimit());
            assertEquals(Optional.empty(), parse(x + ", \"health\": {\"concurrencyLimit\": {\"enabled\": false}}}")
                    .concurrencyLimit());
            assertEquals(Optional.of(new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.GRADIENT2, 4, 2, 8)), parse(x
                    + ", \"health\": {\"concurrencyLimit\": {\"initial\": 4, \"min\": 2, \"max\": 8}}}")
                    .concurrencyLimit());
            assertEquals(Optional.of(new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.GRADIENT2, 50, 50, 200)), parse(x
                    + ", \"health\": {\"concurrencyLimit\": {\"min\": 50}}}").concurrencyLimit(),
                    "what is not said follows what is");
            assertError(x + ", \"health\": {\"concurrencyLimit\": {\"min\": 10, \"max\": 5}}}",
                    "$.health.concurrencyLimit", "min <= initial <= max");
            assertEquals(Optional.of(new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.GRADIENT2,
                    10, 10, 10)), parse(x + ", \"health\": {\"concurrencyLimit\": {\"max\": 10}}}").concurrencyLimit(),
                    "a lower max brings the default floor and start down with it");
            assertEquals(Optional.of(new NetflixConcurrencyLimits.Settings(NetflixConcurrencyLimits.Algorithm.VEGAS,
                    5, 5, 200)), parse(x + ", \"health\": {\"concurrencyLimit\": {\"algorithm\": \"vegas\","
                    + " \"initial\": 5}}}").concurrencyLimit());
            assertEquals(NetflixConcurrencyLimits.Algorithm.VEGAS, parse(x
                    + ", \"health\": {\"concurrencyLimit\": {\"algorithm\": \"vegas\"}}}").concurrencyLimit()
                    .orElseThrow().algorithm());
            assertError(x + ", \"health\": {\"concurrencyLimit\": {\"algorithm\": \"aimd\"}}}",
                    "$.health.concurrencyLimit.algorithm", "must be gradient2 or vegas, got aimd");
        }

        @Test
        void hedgingIsOnUnlessTheConfigurationTurnsItOff() {
            assertTrue(parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}").hedging());
            assertFalse(parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"hedging\": false}}")
                    .hedging());
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"hedging\": \"no\"}}",
                    "$.health.hedging", "true or false");
        }

        @Test
        void defaultsApplyToEveryServerAndServerSettingsOverrideThem() {
            HealthConfig config = parse("""
                    {"mcpServers": {"x": {"command": "a"}, "y": {"command": "b"}, "z": {"command": "c"},
                                    "y2": {"command": "d"}, "backup_pool": {"command": "e"}},
                     "health": {
                       "defaults": {"timeoutMs": 5000, "connectTimeoutMs": 20000, "intervalSeconds": 30,
                                    "thresholds": {"responseTimeWarningMs": 100, "responseTimeCriticalMs": 1000,
                                                   "offlineAfterFailures": 5}},
                       "servers": {
                         "y": {"timeoutMs": 2000, "serverType": "search",
                               "thresholds": {"errorRateWarning": 0.1, "healthyAfterSuccesses": 4},
                               "fallback": {"serverType": "search_backup", "strategy": "alternative_server"},
                               "maxRetryAttempts": 7, "retryDelaySeconds": 5, "autoRecovery": false},
                         "z": {"fallback": "backup_pool", "intervalSeconds": 120, "connectTimeoutMs": 1500},
                         "y2": {"serverType": "search_backup"}
                       }}}
                    """);

            MonitoredServer x = server(config, "x").server();
            assertEquals(Duration.ofMillis(5000), x.timeout());
            assertEquals(Duration.ofMillis(20000), x.connectTimeout());
            assertEquals(Duration.ofSeconds(30), x.failover().healthCheckInterval());
            assertEquals(new Thresholds(Duration.ofMillis(100), Duration.ofMillis(1000), 0.05, 0.25, 5, 2),
                    x.thresholds());
            assertEquals(ServerType.of("x"), x.type());
            assertEquals(FallbackStrategy.GRACEFUL_DEGRADATION, x.failover().fallbackStrategy());

            MonitoredServer y = server(config, "y").server();
            assertEquals(Duration.ofMillis(2000), y.timeout());
            assertEquals(Duration.ofMillis(20000), y.connectTimeout());
            assertEquals(new Thresholds(Duration.ofMillis(100), Duration.ofMillis(1000), 0.1, 0.25, 5, 4),
                    y.thresholds());
            assertEquals(ServerType.of("search"), y.type());
            assertEquals(ServerType.of("search"), y.failover().primaryServerType());
            assertEquals(FallbackStrategy.ALTERNATIVE_SERVER, y.failover().fallbackStrategy());
            assertEquals(Optional.of(ServerType.of("search_backup")), y.failover().fallbackServerType());
            assertEquals(7, y.failover().maxRetryAttempts());
            assertEquals(Duration.ofSeconds(5), y.failover().retryDelay());
            assertFalse(y.failover().autoRecovery());
            assertEquals(Duration.ofSeconds(30), y.failover().healthCheckInterval());

            MonitoredServer z = server(config, "z").server();
            assertEquals(Optional.of(ServerType.of("backup_pool")), z.failover().fallbackServerType());
            assertEquals(FallbackStrategy.ALTERNATIVE_SERVER, z.failover().fallbackStrategy());
            assertEquals(Duration.ofSeconds(120), z.failover().healthCheckInterval());
            assertEquals(Duration.ofMillis(1500), z.connectTimeout());
            assertEquals(Duration.ofMillis(5000), z.timeout());
        }

        @Test
        void aFallbackObjectMayGiveOnlyAStrategy() {
            MonitoredServer s = parse("""
                    {"mcpServers": {"x": {"command": "a"}},
                     "health": {"servers": {"x": {"fallback": {"strategy": "manual_mode"}}}}}
                    """).servers().get(0);
            assertEquals(FallbackStrategy.MANUAL_MODE, s.failover().fallbackStrategy());
            assertEquals(Optional.empty(), s.failover().fallbackServerType());
        }

        @Test
        void theDefaultTypeIsTheNameWithIllegalCharactersReplaced() {
            HealthConfig config = parse("""
                    {"mcpServers": {"my.server-1": {"command": "a"}, "github/issues@v2": {"command": "a"},
                                    "host:8080": {"command": "a"}}}
                    """);
            assertEquals(ServerType.of("my.server-1"), server(config, "my.server-1").server().type());
            assertEquals(ServerType.of("github_issues_v2"), server(config, "github/issues@v2").server().type());
            assertEquals(ServerType.of("host_8080"), server(config, "host:8080").server().type());
        }

        @Test
        void aLongNameGivesATypeCutTo64Characters() {
            String name = "n".repeat(100);
            MonitoredServer s = parse("{\"mcpServers\": {\"" + name + "\": {\"command\": \"a\"}}}").servers().get(0);
            assertEquals(ServerType.of("n".repeat(64)), s.type());
        }

        @Test
        void anEndpointNoProcessOrRequestCouldBeMadeOfIsRefusedNamingThePathNotTheSecret() {
            assertError("""
                    {"mcpServers": {"x": {"command": "a", "env": {"A=B": "s3cr3t-value"}}}}
                    """, "$.mcpServers.x.env[\"A=B\"]", "is not a name an environment variable can have");
            String nul = error("""
                    {"mcpServers": {"x": {"command": "a", "env": {"TOKEN": "s3cr3t\\u0000value"}}}}
                    """);
            assertTrue(nul.contains("$.mcpServers.x.env.TOKEN: holds a NUL character") && !nul.contains("s3cr3t"),
                    nul);
            String split = error("""
                    {"mcpServers": {"y": {"url": "https://example.com/mcp",
                      "headers": {"Authorization": "Bearer s3cr3t\\r\\nX-Evil: 1"}}}}
                    """);
            assertTrue(split.contains("$.mcpServers.y.headers.Authorization: has a line break") && !split.contains(
                    "s3cr3t"), split);
            assertError("""
                    {"mcpServers": {"y": {"url": "https://example.com/mcp", "headers": {"Host": "other"}}}}
                    """, "$.mcpServers.y.headers.Host", "is set by HTTP itself");
            assertError("""
                    {"mcpServers": {"y": {"url": "http://127.0.0.1:99999/mcp"}}}
                    """, "$.mcpServers.y.url", "has port 99999; a port is 1..65535");
        }

        @Test
        void aParsersMessageNamesNoSettingOfItsOwn() {
            assertEquals("Non-standard token '…' (not allowed in JSON)", ConfigLoader.jsonProblem(
                    "Non-standard token '…': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"));
            assertEquals("Document nesting depth (501) exceeds the maximum allowed (500)", ConfigLoader.jsonProblem(
                    "Document nesting depth (501) exceeds the maximum allowed (500, from"
                    + " `StreamReadConstraints.getMaxNestingDepth()`)"));
            String nan = error("""
                    {"mcpServers": {"x": {"command": "a"}}, "health": {"defaults": {"timeoutMs": NaN}}}
                    """);
            assertTrue(!nan.contains("JsonReadFeature") && nan.contains("(not allowed in JSON)"), nan);
        }

        @Test
        void serversWhoseNamesGiveOneTypeAreRefusedUnlessTheySayTheirTypes() {
            assertError("""
                    {"mcpServers": {"my server": {"command": "a"}, "my_server": {"command": "b"}}}
                    """, "$.health.servers.my_server.serverType", "servers \"my server\" and \"my_server\" would both"
                    + " get the type \"my_server\" from their names");
            assertError("""
                    {"mcpServers": {"日本語": {"command": "a"}, "中文字": {"command": "b"}}}
                    """, "$.health.servers[\"日本語\"].serverType", "give one of them a serverType of its own");
            HealthConfig config = parse("""
                    {"mcpServers": {"my server": {"command": "a"}, "my_server": {"command": "b"}},
                     "health": {"servers": {"my server": {"serverType": "spaced"}}}}
                    """);
            assertEquals(ServerType.of("spaced"), server(config, "my server").server().type());
            assertEquals(ServerType.of("my_server"), server(config, "my_server").server().type());
            HealthConfig oneOff = parse("""
                    {"mcpServers": {"my server": {"command": "a", "disabled": true}, "my_server": {"command": "b"}}}
                    """);
            assertEquals(ServerType.of("my_server"), server(oneOff, "my_server").server().type(),
                    "a disabled server is in no pool");
        }

        @Test
        void typeFromNameSanitises() {
            assertEquals(ServerType.of("a_b_c"), ConfigLoader.typeFromName("a/b@c"));
            assertEquals(ServerType.of("s_x"), ConfigLoader.typeFromName("_x"));
        }

        @Test
        void nullSettingsAreAbsent() {
            MonitoredServer s = parse("""
                    {"mcpServers": {"x": {"command": "a"}},
                     "health": {"defaults": {"timeoutMs": null, "thresholds": null},
                                "servers": {"x": {"fallback": null}}}}
                    """).servers().get(0);
            assertEquals(MonitoredServer.DEFAULT_TIMEOUT, s.timeout());
            assertEquals(Thresholds.DEFAULTS, s.thresholds());
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"text\"", "42", "null"})
        void theRootMustBeAnObject(String json) {
            assertError(json, "$", "must be a JSON object");
        }

        @Test
        void anEmptyFileIsAnError() {
            assertError("", "$", "must be a JSON object");
            assertError("   \n", "$", "must be a JSON object");
        }

        @Test
        void bothMcpServersAndServersIsAnError() {
            assertError("{\"mcpServers\": {}, \"servers\": {}}", "$", "has both \"mcpServers\" and \"servers\"");
        }

        @Test
        void neitherMcpServersNorServersIsAnError() {
            assertError("{\"health\": {}}", "$", "no \"mcpServers\" (or VS Code's \"servers\") object");
        }

        @Test
        void wrongTypesNameTheirPath() {
            assertError("{\"mcpServers\": []}", "$.mcpServers", "expected an object, got an array");
            assertError("{\"servers\": 3}", "$.servers", "expected an object, got number 3");
            assertError("{\"mcpServers\": {\"x\": \"npx\"}}", "$.mcpServers.x",
                    "expected an object, got the string \"npx\"");
            assertError("{\"mcpServers\": {\"x\": {\"command\": 5}}}", "$.mcpServers.x.command",
                    "expected a string, got number 5");
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"args\": \"-y\"}}}", "$.mcpServers.x.args",
                    "expected an array of strings, got the string \"-y\"");
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"args\": [\"-y\", 5]}}}",
                    "$.mcpServers.x.args[1]", "expected a string, got number 5");
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"args\": [\"-y\", null]}}}",
                    "$.mcpServers.x.args[1]", "must not be null");
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"disabled\": \"yes\"}}}",
                    "$.mcpServers.x.disabled", "expected true or false");
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"cwd\": []}}}", "$.mcpServers.x.cwd",
                    "expected a string, got an array");
            assertError("{\"mcpServers\": {\"x\": {\"type\": 1, \"command\": \"a\"}}}", "$.mcpServers.x.type",
                    "expected a string");
        }

        @Test
        void anEmptyCommandIsAnError() {
            assertError("{\"mcpServers\": {\"x\": {\"command\": \" \"}}}", "$.mcpServers.x.command",
                    "must not be empty");
        }

        @Test
        void anIllegalServerNameIsReportedWithAQuotedPath() {
            assertError("{\"mcpServers\": {\"bad name \": {\"command\": \"a\"}}}", "$.mcpServers[\"bad name \"]",
                    "server name must be");
        }

        @Test
        void serversNeedACommandOrAUrl() {
            assertError("{\"mcpServers\": {\"x\": {}}}", "$.mcpServers.x", "needs either a \"command\"");
            assertError("{\"mcpServers\": {\"x\": {\"type\": \"stdio\", \"url\": \"https://h.example\"}}}",
                    "$.mcpServers.x", "a stdio server needs a \"command\"");
            assertError("{\"mcpServers\": {\"x\": {\"type\": \"sse\", \"command\": \"a\"}}}",
                    "$.mcpServers.x", "a remote (sse) server needs a \"url\"");
            // found by the campaign (ConfigFuzzIT, 5 of 10,000): a null command or url ended the loader with
            // NoSuchElementException instead of a message
            assertError("{\"mcpServers\": {\"x\": {\"command\": null}}}", "$.mcpServers.x.command",
                    "expected a string, got null");
            assertError("{\"mcpServers\": {\"x\": {\"url\": null, \"headers\": {}}}}", "$.mcpServers.x.url",
                    "expected a string, got null");
            assertError("{\"servers\": {\"x\": {\"type\": \"http\", \"url\": null}}}", "$.servers.x.url",
                    "expected a string, got null");
        }

        @Test
        void anUnknownTransportTypeIsAnError() {
            assertError("{\"mcpServers\": {\"x\": {\"type\": \"websocket\", \"url\": \"ws://h\"}}}",
                    "$.mcpServers.x.type", "must be one of stdio, http, sse, got \"websocket\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp://host/mcp", "ws://host/mcp", "file:///tmp/x", "/relative/mcp", "host:8080/mcp",
                "https:///no-host"})
        void urlsMustBeAbsoluteHttpOrHttps(String url) {
            assertError("{\"mcpServers\": {\"x\": {\"url\": \"" + url + "\"}}}", "$.mcpServers.x.url",
                    "must be an absolute http:// or https:// URL");
        }

        @Test
        void anUnparsableUrlIsAnError() {
            assertError("{\"mcpServers\": {\"x\": {\"url\": \"http://exa mple.com/\"}}}", "$.mcpServers.x.url",
                    "is not a valid URL");
        }

        @Test
        void aBalancingOtherThanTheFourIsAnErrorNamingThem() {
            String message = error("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\":"
                    + " {\"x\": {\"balancing\": \"roundrobin\"}}}}");

            assertTrue(message.startsWith("test/mcp.json: $.health.servers.x.balancing: "), message);
            assertTrue(message.contains("p2c") && message.contains("sticky") && message.contains("priority")
                    && message.contains("round_robin"), message);
        }

        @Test
        void unknownHealthKeysAreErrors() {
            String servers = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": ";
            assertError(servers + "{\"bogus\": 1}}", "$.health.bogus", "unknown setting; known: alerts, breaker, callTimeout, concurrencyLimit, defaults, hedging, learning, orchestrator, prewarm, retryBudget, servers");
            assertError(servers + "{\"servers\": {\"x\": {\"timeout\": 1}}}}", "$.health.servers.x.timeout",
                    "unknown setting; known: auth, autoRecovery, balancing, connectTimeoutMs, enabled, fallback,"
                            + " idempotentTools, intervalSeconds, maxRetryAttempts, retryDelaySeconds, serverType,"
                            + " standby, thresholds, timeoutMs");
            assertError(servers + "{\"servers\": {\"x\": {\"thresholds\": {\"bogus\": 1}}}}}",
                    "$.health.servers.x.thresholds.bogus", "unknown setting; known: errorRateCritical");
            assertError(servers + "{\"defaults\": {\"thresholds\": {\"warningMs\": 1}}}}",
                    "$.health.defaults.thresholds.warningMs", "unknown setting");
            assertError(servers + "{\"servers\": {\"x\": {\"fallback\": {\"type\": \"b\"}}}}}",
                    "$.health.servers.x.fallback.type", "unknown setting; known: serverType, strategy");
        }

        @Test
        void healthWrongTypesAreErrors() {
            String servers = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": ";
            assertError(servers + "[]}", "$.health", "expected an object, got an array");
            assertError(servers + "{\"servers\": []}}", "$.health.servers", "expected an object");
            assertError(servers + "{\"servers\": {\"x\": true}}}", "$.health.servers.x", "expected an object");
            assertError(servers + "{\"servers\": {\"x\": {\"timeoutMs\": \"10\"}}}}", "$.health.servers.x.timeoutMs",
                    "expected a whole number (1..600000), got the string \"10\"");
            assertError(servers + "{\"servers\": {\"x\": {\"timeoutMs\": 1.5}}}}", "$.health.servers.x.timeoutMs",
                    "expected a whole number");
            assertError(servers + "{\"servers\": {\"x\": {\"timeoutMs\": -1}}}}", "$.health.servers.x.timeoutMs",
                    "must be 1..600000, got -1");
            assertError(servers + "{\"servers\": {\"x\": {\"enabled\": \"no\"}}}}", "$.health.servers.x.enabled",
                    "expected true or false");
            assertError(servers + "{\"servers\": {\"x\": {\"thresholds\": {\"errorRateWarning\": \"low\"}}}}}",
                    "$.health.servers.x.thresholds.errorRateWarning", "expected a number");
            assertError(servers + "{\"servers\": {\"x\": {\"fallback\": 3}}}}", "$.health.servers.x.fallback",
                    "expected");
            assertError(servers + "{\"servers\": {\"x\": {\"serverType\": 3}}}}", "$.health.servers.x.serverType",
                    "expected a string");
        }

        @Test
        void aHealthServerThatIsNotConfiguredIsAnError() {
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"y\": {}}}}",
                    "$.health.servers.y", "no server of that name in $.mcpServers");
            assertError("{\"servers\": {}, \"health\": {\"servers\": {\"y\": {}}}}",
                    "$.health.servers.y", "no server of that name in $.servers");
        }

        @Test
        void rangeErrorsNameTheKey() {
            String servers = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}, \"y\": {\"command\": \"a\"}},"
                    + " \"health\": ";
            assertError(servers + "{\"servers\": {\"x\": {\"timeoutMs\": 0}}}}", "$.health.servers.x.timeoutMs",
                    "must be 1..600000, got 0");
            assertError(servers + "{\"defaults\": {\"intervalSeconds\": 0}}}", "$.health.defaults.intervalSeconds",
                    "must be 1..86400, got 0");
            assertError(servers + "{\"servers\": {\"y\": {\"maxRetryAttempts\": 101}}}}",
                    "$.health.servers.y.maxRetryAttempts", "must be 0..100, got 101");
        }

        @Test
        void thresholdsWarningMustBeBelowCritical() {
            assertError("""
                    {"mcpServers": {"x": {"command": "a"}},
                     "health": {"servers": {"x": {"thresholds": {"responseTimeWarningMs": 2000,
                                                                 "responseTimeCriticalMs": 1000}}}}}
                    """, "$.health.servers.x",
                    "responseTimeCriticalMs (1000) must be greater than responseTimeWarningMs (2000)");
            assertError("""
                    {"mcpServers": {"x": {"command": "a"}},
                     "health": {"defaults": {"thresholds": {"errorRateWarning": 0.3, "errorRateCritical": 0.3}}}}
                    """, "$.health.defaults", "errorRateCritical (0.3) must be greater than errorRateWarning (0.3)");
        }

        @Test
        void fallbackErrors() {
            String servers = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": ";
            assertError(servers + "{\"servers\": {\"x\": {\"fallback\": \"x\"}}}}", "$.health.servers.x",
                    "fallback server type must differ from the primary");
            assertError(servers + "{\"servers\": {\"x\": {\"fallback\": {\"strategy\": \"bogus\"}}}}}",
                    "$.health.servers.x.fallback.strategy",
                    "fallback strategy must be one of alternative_server, graceful_degradation, manual_mode,"
                            + " got \"bogus\"");
            assertError(servers + "{\"servers\": {\"x\": {\"fallback\": {\"strategy\": \"alternative_server\"}}}}}",
                    "$.health.servers.x", "alternative_server needs a fallback server type");
            assertError(servers + "{\"defaults\": {\"fallback\": \"b\"}}}", "$.health.defaults",
                    "serverType and fallback are per server");
            assertError(servers + "{\"defaults\": {\"serverType\": \"b\"}}}", "$.health.defaults",
                    "serverType and fallback are per server");
            assertError(servers + "{\"servers\": {\"x\": {\"serverType\": \"a/b\"}}}}",
                    "$.health.servers.x.serverType", "server type must be");
        }

        @Test
        void invalidJsonGivesLineAndColumn() {
            String message = error("""
                    {
                      "mcpServers": {
                        "x" {"command": "npx"}
                      }
                    }
                    """);
            assertTrue(message.startsWith("test/mcp.json: line 3, column 9: not valid JSON: "), message);
            assertTrue(message.contains("was expecting a colon"), message);
            assertFalse(message.contains("Source:"), message);
            assertFalse(message.contains("\n"), message);
        }

        @Test
        void anUnclosedObjectIsInvalidJson() {
            String message = error("{\"mcpServers\": {\"x\": {\"command\": \"npx\"}");
            assertTrue(message.startsWith("test/mcp.json: line 1, column 40: not valid JSON: "), message);
            assertTrue(message.contains("end-of-input"), message);
        }

        @Test
        void duplicateKeysAreInvalidJson() {
            String message = error("""
                    {"mcpServers": {
                      "x": {"command": "a"},
                      "x": {"command": "b"}
                    }}
                    """);
            assertTrue(message.startsWith("test/mcp.json: line 3, column "), message);
            assertTrue(message.endsWith("not valid JSON: Duplicate Object property \"x\""), message);
        }
    }

    /** Env values and header values are secrets: no message and no toString may show them. */
    @Nested
    class Secrets {

        private void assertHidden(String json) {
            String message = error(json);
            assertFalse(message.contains(SECRET), message);
            assertFalse(message.contains("s3cr3t"), message);
        }

        @Test
        void anErrorElsewhereDoesNotShowEnvOrHeaderValues() {
            assertHidden("""
                    {"mcpServers": {"x": {"command": "a", "env": {"TOKEN": "s3cr3t-token-value"}},
                                    "y": {"url": "https://h.example", "headers": {"Authorization": "s3cr3t-token-value"}},
                                    "z": {"url": "ftp://nowhere"}}}
                    """);
        }

        @Test
        void anEnvValueOfTheWrongTypeIsNotPrinted() {
            String number = error("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": {\"TOKEN\": 98765432101}}}}");
            assertTrue(number.startsWith("test/mcp.json: $.mcpServers.x.env.TOKEN: expected a string, got number"),
                    number);
            assertFalse(number.contains("98765432101"), number);
            assertHidden("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": {\"TOKEN\": [\"s3cr3t-token-value\"]}}}}");
            assertHidden("{\"mcpServers\": {\"x\": {\"command\": \"a\","
                    + " \"env\": {\"TOKEN\": {\"value\": \"s3cr3t-token-value\"}}}}}");
            String bool = error("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": {\"FLAG\": true}}}}");
            assertFalse(bool.contains("true"), bool);
        }

        @Test
        void aHeaderValueOfTheWrongTypeIsNotPrinted() {
            String number = error("{\"mcpServers\": {\"y\": {\"url\": \"https://h.example\","
                    + " \"headers\": {\"X-Key\": 98765432101}}}}");
            assertTrue(number.startsWith("test/mcp.json: $.mcpServers.y.headers.X-Key: expected a string"), number);
            assertFalse(number.contains("98765432101"), number);
            assertHidden("{\"mcpServers\": {\"y\": {\"url\": \"https://h.example\","
                    + " \"headers\": {\"X-Key\": [\"s3cr3t-token-value\"]}}}}");
        }

        @Test
        void headersOrEnvGivenAsAStringAreNotPrinted() {
            String headers = error("{\"mcpServers\": {\"y\": {\"url\": \"https://h.example\","
                    + " \"headers\": \"Authorization: Bearer s3cr3t-token-value\"}}}");
            assertEquals("test/mcp.json: $.mcpServers.y.headers: expected an object of strings, got a string", headers);
            assertFalse(headers.contains("s3cr3t"), headers);
            String envString = error("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": \"TOKEN=s3cr3t-token-value\"}}}");
            assertTrue(envString.startsWith("test/mcp.json: $.mcpServers.x.env: expected an object"), envString);
            assertFalse(envString.contains("s3cr3t"), envString);
            assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": 1234567}}}", "$.mcpServers.x.env",
                    "expected an object of strings, got number");
            assertFalse(error("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": 1234567}}}").contains("1234567"));
        }

        @Test
        void aVariableErrorInASecretDoesNotPrintTheValue() {
            assertHidden("{\"mcpServers\": {\"x\": {\"command\": \"a\","
                    + " \"env\": {\"TOKEN\": \"s3cr3t-token-value${MISSING}\"}}}}");
            assertHidden("{\"mcpServers\": {\"x\": {\"command\": \"a\","
                    + " \"env\": {\"TOKEN\": \"s3cr3t-token-value${UNCLOSED\"}}}}");
            String badReference = error("{\"mcpServers\": {\"y\": {\"url\": \"https://h.example\","
                    + " \"headers\": {\"Authorization\": \"${input:tok:-s3cr3t-token-value}\"}}}}");
            assertTrue(badReference.startsWith("test/mcp.json: $.mcpServers.y.headers.Authorization: uses"
                    + " \"${input:tok:-…}\", which cannot be resolved here"), badReference);
        }

        @Test
        void aUrlErrorDoesNotPrintItsCredentials() {
            assertHidden("{\"mcpServers\": {\"y\": {\"url\": \"ftp://user:s3cr3t-token-value@h.example/\"}}}");
            assertHidden("{\"mcpServers\": {\"y\": {\"url\": \"https://h.example/mcp?key=s3cr3t-token-value&x=a b\"}}}");
        }

        @Test
        void endpointsAndServersDoNotShowSecretsInToString() {
            env.put("API_TOKEN", SECRET);
            HealthConfig config = parse("""
                    {"mcpServers": {
                      "x": {"command": "run", "args": ["--verbose"], "env": {"TOKEN": "${API_TOKEN}"}},
                      "y": {"url": "https://user:s3cr3t-token-value@h.example:8443/mcp?key=s3cr3t-token-value",
                            "headers": {"Authorization": "Bearer ${API_TOKEN}"}}
                    }}
                    """);

            Endpoint.Stdio x = stdio(config, "x");
            assertEquals(SECRET, x.env().get("TOKEN"));
            assertFalse(x.toString().contains(SECRET), x.toString());
            assertTrue(x.toString().contains("TOKEN"), x.toString());
            Endpoint.Http y = http(config, "y");
            assertEquals("Bearer " + SECRET, y.headers().get("Authorization"));
            assertFalse(y.toString().contains(SECRET), y.toString());
            assertTrue(y.toString().contains("Authorization"), y.toString());
            assertFalse(config.all().toString().contains(SECRET), config.all().toString());
            assertFalse(config.servers().toString().contains(SECRET));
        }
    }

    /**
     * Control characters (ESC starts a terminal escape sequence) and bidirectional formatting characters (U+202E
     * reverses the text after it) must never reach a terminal raw from the configuration.
     */
    @Nested
    class ControlCharacters {
        /** ESC [31m (red) as written in JSON: a raw control character is not valid JSON, its escape is. */
        private static final String ESC_RED = "\\u001b[31m";
        /** U+202E, right-to-left override: valid raw in JSON. */
        private static final String RLO = "\u202e";

        private void assertEscaped(String message) {
            assertFalse(message.contains("\u001b"), message);
            assertFalse(message.contains(RLO), message);
            assertFalse(message.contains("\n"), message);
            assertFalse(message.contains("\r"), message);
        }

        @Test
        void aServerNameWithAnEscapeSequenceIsRefusedAndShownEscaped() {
            String message = error("{\"mcpServers\": {\"ok" + ESC_RED + "red\": {\"command\": \"a\"}}}");

            assertEquals("test/mcp.json: $.mcpServers[\"ok\\u001b[31mred\"]: the name has a control or bidirectional"
                    + " formatting character (U+001B at index 2); rename it", message);
            assertEscaped(message);
        }

        @Test
        void aServerNameWithABidiOverrideIsRefused() {
            String message = error("{\"mcpServers\": {\"report" + RLO + "txt.exe\": {\"command\": \"a\"}}}");

            assertEquals("test/mcp.json: $.mcpServers[\"report\\u202etxt.exe\"]: the name has a control or"
                    + " bidirectional formatting character (U+202E at index 6); rename it", message);
            assertEscaped(message);
        }

        @ParameterizedTest
        @ValueSource(ints = {0x07, 0x0D, 0x0A, 0x08, 0x9B, 0x7F, 0x2066, 0x200F, 0x2028, 0x061C})
        void everyControlAndBidiCharacterInANameIsRefused(int c) {
            String hex = String.format("%04x", c);
            String message = error("{\"mcpServers\": {\"a\\u" + hex + "b\": {\"command\": \"a\"}}}");

            assertTrue(message.contains("$.mcpServers[\"a\\u" + hex + "b\"]: the name has a control or bidirectional"
                    + " formatting character (U+" + hex.toUpperCase(java.util.Locale.ROOT) + " at index 1)"), message);
            assertEscaped(message);
            assertFalse(message.contains(Character.toString(c)), message);
        }

        @Test
        void aDisabledServersNameIsCheckedToo() {
            assertError("{\"mcpServers\": {\"a" + RLO + "\": {\"command\": \"a\", \"disabled\": true}}}",
                    "$.mcpServers[\"a\\u202e\"]", "bidirectional formatting character");
        }

        @Test
        void aToolNameWithControlCharactersIsRefused() {
            String message = error("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"defaults\":"
                    + " {\"idempotentTools\": [\"read" + ESC_RED + "\"]}}}");

            assertTrue(message.startsWith("test/mcp.json: $.health.defaults.idempotentTools[0]: the name has a"
                    + " control"), message);
            assertEscaped(message);
        }

        @Test
        void anyValueQuotedInAMessageIsEscaped() {
            for (String json : List.of(
                    "{\"mcpServers\": {\"x\": {\"type\": \"std" + ESC_RED + RLO + "io\", \"command\": \"a\"}}}",
                    "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"x\":"
                            + " {\"serverType\": \"t" + ESC_RED + "\"}}}}",
                    "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"x" + ESC_RED
                            + "\": {}}}}",
                    "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"x\":"
                            + " {\"fallback\": {\"strategy\": \"" + RLO + "manual\"}}}}}",
                    "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"orchestrator\": \"o" + ESC_RED
                            + "\"}}",
                    "{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": {\"K" + ESC_RED + "\": 1}}}}")) {
                String message = error(json);
                assertEscaped(message);
                assertTrue(message.contains("\\u001b") || message.contains("\\u202e"), message);
            }
        }
    }

    @Nested
    class FallbackTypes {
        private static final String SERVERS = "{\"mcpServers\": {\"search\": {\"command\": \"a\"},"
                + " \"search-2\": {\"command\": \"a\"}, \"backup\": {\"command\": \"a\", \"disabled\": true}},"
                + " \"health\": {\"servers\": {\"search-2\": {\"serverType\": \"search\"}, ";

        @Test
        void aFallbackTypeThatNoServerHasIsRefusedNamingTheKnownTypes() {
            assertEquals("test/mcp.json: $.health.servers.search.fallback: no server in $.mcpServers has the type"
                    + " \"serch_backup\" (the servers' types: backup, search); a fallback must be the serverType of"
                    + " other servers in the list", error(SERVERS + "\"search\": {\"fallback\": \"serch_backup\"}}}}"));
            assertError(SERVERS + "\"search\": {\"fallback\": {\"serverType\": \"nope\","
                    + " \"strategy\": \"alternative_server\"}}}}}", "$.health.servers.search.fallback.serverType",
                    "no server in $.mcpServers has the type \"nope\"");
            assertError("{\"servers\": {\"a\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"a\":"
                    + " {\"fallback\": \"b\"}}}}", "$.health.servers.a.fallback",
                    "no server in $.servers has the type \"b\" (the servers' types: a)");
        }

        @Test
        void aDisabledServersUnknownFallbackIsRefusedToo() {
            assertError(SERVERS + "\"backup\": {\"fallback\": \"gone\"}}}}", "$.health.servers.backup.fallback",
                    "no server in $.mcpServers has the type \"gone\"");
        }

        @Test
        void aFallbackToTheTypeOfOtherServersIsAccepted() {
            HealthConfig config = parse(SERVERS + "\"backup\": {\"serverType\": \"search_backup\"},"
                    + " \"search\": {\"fallback\": \"search_backup\"}}}}");
            assertEquals(Optional.of(ServerType.of("search_backup")),
                    server(config, "search").server().failover().fallbackServerType());
        }

        @Test
        void aFallbackToATypeWhoseServersAreAllDisabledIsAccepted() {
            // disabling the replicas for a while must not make the file invalid; failover finds no instance then
            HealthConfig config = parse(SERVERS + "\"search\": {\"fallback\": \"backup\"}}}}");
            assertEquals(Optional.of(ServerType.of("backup")),
                    server(config, "search").server().failover().fallbackServerType());
            assertEquals(List.of("search", "search-2"), names(config));
        }

        @Test
        void anIllegalFallbackTypeNamesItsPath() {
            assertError(SERVERS + "\"search\": {\"fallback\": \"a/b\"}}}}", "$.health.servers.search.fallback",
                    "server type must be");
            assertError(SERVERS + "\"search\": {\"fallback\": {\"serverType\": \"\"}}}}}",
                    "$.health.servers.search.fallback.serverType", "server type must be");
        }

        @Test
        void theStrategyIsValidated() {
            assertError(SERVERS + "\"search\": {\"fallback\": {\"serverType\": \"backup\", \"strategy\":"
                    + " \"Alternative_Server\"}}}}}", "$.health.servers.search.fallback.strategy",
                    "fallback strategy must be one of alternative_server, graceful_degradation, manual_mode, got"
                            + " \"Alternative_Server\"");
            assertError(SERVERS + "\"search\": {\"fallback\": {\"strategy\": 1}}}}}",
                    "$.health.servers.search.fallback.strategy", "expected a string, got number 1");
        }
    }

    /** The bytes of a file: UTF-8, after a byte order mark if there is one. */
    @Nested
    class Encoding {
        private String decode(byte[] bytes) {
            return ConfigLoader.decode(bytes, FILE);
        }

        private byte[] bytes(int... values) {
            byte[] b = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                b[i] = (byte) values[i];
            }
            return b;
        }

        private byte[] concat(byte[]... parts) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        private byte[] utf8(String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Test
        void aUtf8ByteOrderMarkIsSkipped() {
            String text = decode(concat(bytes(0xEF, 0xBB, 0xBF),
                    utf8("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}")));
            assertEquals(List.of("x"), names(parse(text)));
        }

        @Test
        void aByteOrderMarkInTheTextIsSkippedToo() {
            assertEquals(List.of("x"), names(parse("\uFEFF{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}")));
        }

        @Test
        void invalidUtf8NamesTheLineColumnAndByteOffset() {
            // "é" is 2 bytes and 1 column; the stray continuation byte is the 9th byte of line 2
            byte[] file = concat(utf8("{\n  \"é\": "), bytes(0x80), utf8("1}"));

            ConfigException e = assertThrows(ConfigException.class, () -> decode(file));

            assertEquals("test/mcp.json: line 2, column 8: not valid UTF-8 (byte offset 10); save it as UTF-8",
                    e.getMessage());
        }

        @Test
        void aTruncatedSequenceAtTheEndIsInvalid() {
            byte[] file = concat(utf8("{\"a\": \"x"), bytes(0xE2, 0x82));

            ConfigException e = assertThrows(ConfigException.class, () -> decode(file));

            assertEquals("test/mcp.json: line 1, column 9: not valid UTF-8 (byte offset 8); save it as UTF-8",
                    e.getMessage());
        }

        @Test
        void offsetsCountTheByteOrderMark() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> decode(concat(bytes(0xEF, 0xBB, 0xBF), utf8("{"), bytes(0xFF))));

            assertEquals("test/mcp.json: line 1, column 2: not valid UTF-8 (byte offset 4); save it as UTF-8",
                    e.getMessage());
        }

        @Test
        void latin1IsInvalidUtf8() {
            byte[] latin1 = "{\"mcpServers\": {\"café\": {}}}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

            ConfigException e = assertThrows(ConfigException.class, () -> decode(latin1));

            assertEquals("test/mcp.json: line 1, column 21: not valid UTF-8 (byte offset 20); save it as UTF-8",
                    e.getMessage());
        }

        @Test
        void utf16IsNamed() {
            byte[] utf16 = concat(bytes(0xFF, 0xFE),
                    "{}".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));

            assertEquals("test/mcp.json: not UTF-8 but UTF-16 (it starts with a UTF-16 byte order mark); save it as"
                    + " UTF-8", assertThrows(ConfigException.class, () -> decode(utf16)).getMessage());
        }

        @Test
        void charactersOutsideTheBasicPlaneAreOneColumn() {
            byte[] file = concat(utf8("\"😀\""), bytes(0xC0));

            assertEquals("test/mcp.json: line 1, column 4: not valid UTF-8 (byte offset 6); save it as UTF-8",
                    assertThrows(ConfigException.class, () -> decode(file)).getMessage());
        }
    }

    /** Found by ConfigFuzzIT: what a message quotes of the file is cut, and the parser's limits are named without Java. */
    @Nested
    class HugeOrDeepFiles {
        private static final int MAX_MESSAGE = 300;

        private String bounded(String json) {
            String message = error(json);
            assertTrue(message.length() <= MAX_MESSAGE, message.length() + " chars: "
                    + message.substring(0, Math.min(400, message.length())));
            return message;
        }

        @Test
        void aHugeValueIsQuotedCutWithItsLength() {
            String message = bounded("{\"mcpServers\": {\"a\": {\"type\": \"" + "h".repeat(100_000) + "\"}}}");
            assertTrue(message.contains("must be one of stdio, http, sse, got \"hhh") && message.endsWith("…\""
                    + " (100000 characters)"), message);
        }

        @Test
        void aHugeNameIsCutInThePathAndInWhatIsWrong() {
            String message = bounded("{\"mcpServers\": {\"" + "k".repeat(20_000) + "\": {\"command\": \"x\"}}}");
            assertTrue(message.startsWith("test/mcp.json: $.mcpServers.kkkk") && message.contains("(20000 characters)"),
                    message);
        }

        @Test
        void aHugeUnknownKeyIsCut() {
            bounded("{\"mcpServers\": {}, \"health\": {\"" + "u".repeat(40_000) + "\": 1}}");
        }

        @Test
        void aHugeReferenceIsCut() {
            bounded("{\"mcpServers\": {\"a\": {\"command\": \"${" + "V".repeat(3000) + "}\"}}}");
            bounded("{\"mcpServers\": {\"a\": {\"command\": \"${" + "v w".repeat(3000) + "}\"}}}");
        }

        @Test
        void aNumberBeyondADoubleIsOutOfRangeNotACrash() {
            String message = bounded("{\"mcpServers\": {}, \"health\": {\"defaults\": {\"thresholds\":"
                    + " {\"errorRateCritical\": " + "9".repeat(400) + "}}}}");
            assertTrue(message.contains("errorRateCritical: must be above 0 and below 1, got 9999"), message);
        }

        @Test
        void aHugeNumberIsCut() {
            String nines = "9".repeat(900);
            bounded("{\"mcpServers\": {}, \"health\": {\"defaults\": {\"intervalSeconds\": " + nines + "}}}");
            bounded("{\"mcpServers\": {}, \"health\": {\"defaults\": {\"intervalSeconds\": 0." + nines + "}}}");
            bounded("{\"mcpServers\": {}, \"health\": {\"defaults\": {\"thresholds\": {\"errorRateWarning\": "
                    + nines + "}}}}");
        }

        @Test
        void manyServerTypesInAMessageAreCut() {
            StringBuilder json = new StringBuilder("{\"mcpServers\": {");
            StringBuilder types = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                json.append(i == 0 ? "" : ", ").append("\"s").append(i).append("\": {\"command\": \"x\"}");
                types.append(", \"s").append(i).append("\": {\"serverType\": \"type-number-").append(i).append("\"}");
            }
            json.append("}, \"health\": {\"servers\": {\"s0\": {\"serverType\": \"t\", \"fallback\": \"nope\"}")
                    .append(types.substring(types.indexOf("}") + 1)).append("}}}");
            String message = bounded(json.toString());
            assertTrue(message.contains("(500 in all)"), message);
        }

        @Test
        void theParsersLimitsAreNamedWithoutItsClassNames() {
            String deep = bounded("{\"mcpServers\": " + "[".repeat(2000) + "]".repeat(2000) + "}");
            assertTrue(deep.endsWith("not valid JSON: Document nesting depth (501) exceeds the maximum allowed (500)"),
                    deep);
            String number = bounded("{\"mcpServers\": {}, \"x\": " + "9".repeat(1200) + "}");
            assertTrue(number.endsWith("not valid JSON: Number value length (1200) exceeds the maximum allowed (1000)"),
                    number);
            String name = bounded("{\"mcpServers\": {\"" + "n".repeat(60_000) + "\": 1}}");
            assertTrue(name.endsWith("not valid JSON: Name length (60000) exceeds the maximum allowed (50000)"), name);
            for (String m : List.of(deep, number, name)) {
                assertFalse(m.contains("`") || m.contains("StreamReadConstraints") || m.contains("()"), m);
            }
        }
    }
}
