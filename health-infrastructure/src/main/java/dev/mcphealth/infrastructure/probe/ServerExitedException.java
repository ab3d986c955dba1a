package dev.mcphealth.infrastructure.probe;

/** The server's process ended while we were talking to it. */
final class ServerExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final String lastStderr;

    ServerExitedException(int exitCode, String lastStderr) {
        super("server process exited" + describe(exitCode));
        this.exitCode = exitCode;
        this.lastStderr = lastStderr;
    }

    int exitCode() {
        return exitCode;
    }

    /** The last line the server wrote to stderr before it ended (may hold secrets), or null. */
    String lastStderr() {
        return lastStderr;
    }

    /** Exit codes above 128 are "killed by signal N" on Unix. */
    static String describe(int code) {
        if (code > 128 && code < 160) {
            return " (killed by signal " + (code - 128) + ")";
        }
        return " with code " + code;
    }
}
