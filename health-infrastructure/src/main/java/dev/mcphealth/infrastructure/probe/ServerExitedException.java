package dev.mcphealth.infrastructure.probe;

import java.time.Duration;
import java.util.function.Function;

/** The server's process ended while we were talking to it. */
final class ServerExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** How long a dying server's last words on stderr are waited for. */
    static final Duration LAST_WORDS_SETTLE = Duration.ofMillis(300);
    private final transient Function<Duration, String> lastWords;
    private final int exitCode;
    private final boolean unsent;

    ServerExitedException(int exitCode, Function<Duration, String> lastWords) {
        this(exitCode, lastWords, false);
    }

    /** {@code unsent}: it had ended before the request that found it so could be written. */
    ServerExitedException(int exitCode, Function<Duration, String> lastWords, boolean unsent) {
        super("server process exited" + describe(exitCode));
        this.lastWords = lastWords;
        this.exitCode = exitCode;
        this.unsent = unsent;
    }

    /**
     * Whether it ended of the request it was sent: by itself (an exit code, not a signal: a kill from outside or a
     * crash), after the request was written. Unix exit codes: on Windows a killed process exits 1.
     */
    boolean endedItselfAfterTheRequest() {
        return !unsent && !(exitCode > 128 && exitCode < 160);
    }

    /** The last line the server wrote to stderr before it ended (may hold secrets), or null. */
    String lastStderr() {
        return lastWords == null ? null : lastWords.apply(LAST_WORDS_SETTLE);
    }

    /** Exit codes above 128 are "killed by signal N" on Unix. */
    static String describe(int code) {
        if (code > 128 && code < 160) {
            return " (killed by signal " + (code - 128) + ")";
        }
        return " with code " + code;
    }
}
