package dev.mcphealth.adapter.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mcp-health auth}: the OAuth sign-ins of remote servers (docs/authorization.md). */
@Command(name = "auth", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"OAuth for remote servers: sign in once to a server that needs a person (the authorization "
            + "code grant), see how each server's authorization stands, sign out. Servers using the client "
            + "credentials grant need no sign-in. Tokens are kept in a file only you can read ($MCP_HEALTH_TOKENS, "
            + "else ~/.local/state/mcp-health/oauth-tokens.json) and are never printed."},
        subcommands = {AuthCommand.Login.class, AuthCommand.Status.class, AuthCommand.Logout.class})
public final class AuthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return ExitCodes.usageWithoutSubcommand(spec);
    }

    /** {@code mcp-health auth login NAME}. */
    @Command(name = "login", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Signs in to server NAME (health.servers.NAME.auth with the authorization_code grant): "
                + "prints an address to open in a browser, waits for the authorization server to send the browser "
                + "back to 127.0.0.1, and keeps the refresh token. Monitoring then renews the access token by itself."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:signed in", "3:usage error, or the sign-in failed or did not come in time"})
    public static final class Login implements Callable<Integer> {
        private final AuthSessions sessions;

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "NAME", description = "the server, as the configuration names it")
        String server;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
                description = "the loopback port the sign-in comes back to; default: any free one")
        int port;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
                description = "how long to wait for the sign-in; default: ${DEFAULT-VALUE}")
        int timeout;

        @Option(names = "--json", description = "print one JSON object instead of sentences")
        boolean json;

        public Login(AuthSessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Integer call() {
            if (port < 0 || port > 65_535) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, got "
                        + port);
            }
            if (timeout < 1 || timeout > 3_600) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--timeout must be 1..3600 seconds, got " + timeout);
            }
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            AuthSessions.SignedIn in = sessions.login(config.file(), server, port, Duration.ofSeconds(timeout),
                    url -> {
                        if (json) {
                            ObjectNode o = CliJson.MAPPER.createObjectNode().put("open", url);
                            out.println(o);
                        } else {
                            err.println("Open this address in a browser to sign in to " + server + ":");
                            out.println(url);
                            err.println("Waiting for the sign-in (up to " + timeout + " s)...");
                        }
                        out.flush();
                        err.flush();
                    });
            if (json) {
                ObjectNode o = CliJson.MAPPER.createObjectNode().put("server", in.server()).put("signedIn", true)
                        .put("issuer", in.issuer()).put("clientId", in.clientId()).put("refreshable",
                                in.refreshable()).put("tokenFile", in.tokenFile().toString());
                ArrayNode scopes = o.putArray("scopes");
                in.scopes().forEach(scopes::add);
                out.println(o);
            } else {
                out.println("Signed in to " + in.server() + " at " + in.issuer() + " as client " + in.clientId()
                        + (in.scopes().isEmpty() ? "" : ", scopes " + String.join(" ", in.scopes())) + "; "
                        + (in.refreshable() ? "the refresh token is kept in " + in.tokenFile()
                        : "no refresh token was given: sign in again when the access token runs out"));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code mcp-health auth status [NAME]}. */
    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "How the authorization of each server that uses OAuth stands (never a token).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every server can get a token without a person", "1:a server needs `auth login`",
                "3:usage error"})
    public static final class Status implements Callable<Integer> {
        private final AuthSessions sessions;

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "only this server")
        String server;

        @Option(names = "--json", description = "print one JSON object instead of a table")
        boolean json;

        public Status(AuthSessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Integer call() {
            List<AuthSessions.State> states = sessions.status(config.file(), Optional.ofNullable(server));
            var out = spec.commandLine().getOut();
            boolean needsLogin = states.stream().anyMatch(s -> s.grant().equals("authorization_code")
                    && !s.signedIn());
            if (json) {
                ObjectNode o = CliJson.MAPPER.createObjectNode().put("tokenFile", sessions.tokenFile().toString());
                ArrayNode list = o.putArray("servers");
                for (AuthSessions.State s : states) {
                    ObjectNode n = list.addObject().put("server", s.server()).put("grant", s.grant())
                            .put("signedIn", s.signedIn()).put("refreshable", s.refreshable());
                    s.clientId().ifPresent(c -> n.put("clientId", c));
                    s.accessTokenExpires().ifPresent(t -> n.put("accessTokenExpires", t.toString()));
                    ArrayNode scopes = n.putArray("scopes");
                    s.scopes().forEach(scopes::add);
                }
                out.println(o);
            } else if (states.isEmpty()) {
                out.println("No server in " + config.file() + " uses OAuth (health.servers.<name>.auth).");
            } else {
                for (AuthSessions.State s : states) {
                    out.println(s.server() + ": " + s.grant() + (s.clientId().map(c -> ", client " + c).orElse(""))
                            + ", " + (s.grant().equals("client_credentials") ? "no sign-in needed"
                            : s.signedIn() ? "signed in" + (s.refreshable() ? " (refreshable)" : "")
                            + s.accessTokenExpires().map(t -> ", access token until " + t).orElse("")
                            : "not signed in: run `mcp-health auth login " + s.server() + "`"));
                }
            }
            out.flush();
            return needsLogin ? ExitCodes.WARNING : ExitCodes.OK;
        }
    }

    /** {@code mcp-health auth logout NAME}. */
    @Command(name = "logout", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Forgets the tokens kept for server NAME.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:signed out (or nothing was kept)", "3:usage error"})
    public static final class Logout implements Callable<Integer> {
        private final AuthSessions sessions;

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "NAME", description = "the server, as the configuration names it")
        String server;

        public Logout(AuthSessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Integer call() {
            boolean had = sessions.logout(config.file(), server);
            spec.commandLine().getOut().println(had ? "Signed out of " + server + ": its tokens are forgotten."
                    : "Nothing was kept for " + server + ".");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
