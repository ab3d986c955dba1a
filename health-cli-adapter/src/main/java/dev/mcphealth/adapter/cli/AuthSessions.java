package dev.mcphealth.adapter.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The OAuth sign-ins of the servers a configuration names ({@code mcp-health auth}, docs/authorization.md). Never
 * hands out a token or a secret: only what a person needs to know about them. Failures are {@link UsageProblem}s
 * whose message says what went wrong.
 */
public interface AuthSessions {

    /** How one server's authorization stands. */
    record State(String server, String grant, Optional<String> clientId, boolean signedIn, boolean refreshable,
                 Optional<Instant> accessTokenExpires, List<String> scopes) {
        public State {
            scopes = List.copyOf(scopes);
        }
    }

    /** What a sign-in obtained. */
    record SignedIn(String server, String issuer, String clientId, boolean refreshable, List<String> scopes,
                    Path tokenFile) {
        public SignedIn {
            scopes = List.copyOf(scopes);
        }
    }

    /** The servers of {@code config} that use OAuth ({@code server}: that one alone), as they stand. */
    List<State> status(Path config, Optional<String> server);

    /** Where tokens are kept. */
    Path tokenFile();

    /**
     * Signs in to {@code server}: the address for a person to open goes to {@code show}; waits up to {@code wait}
     * for the redirect on 127.0.0.1:{@code port} (0: any free port).
     */
    SignedIn login(Path config, String server, int port, Duration wait, Consumer<String> show);

    /** Forgets {@code server}'s tokens; whether there were any. */
    boolean logout(Path config, String server);
}
