package dev.mcphealth.infrastructure.di;

/** Process-wide settings every entry point (the CLI, the MCP server) makes before anything else runs. */
public final class ProcessDefaults {
    private ProcessDefaults() {
    }

    public static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /**
     * On 1 or 2 cores the common pool's parallelism is 1, and then CompletableFuture's default executor starts a new
     * thread for every task: the JDK HTTP client hands every response of sendAsync to it, so each HTTP probe cost a
     * thread start, and a watch of 1,000 servers over HTTP collapsed (docs/benchmarks.md, "Watching many servers").
     * Parallelism 2 makes it use the common pool. A value set on the command line wins. Must run before anything
     * touches CompletableFuture or ForkJoinPool.
     */
    public static void asyncPool(int cores) {
        if (cores <= 2 && System.getProperty(COMMON_PARALLELISM) == null) {
            System.setProperty(COMMON_PARALLELISM, "2");
        }
    }

    /**
     * Logs go to stderr, quietly (ours at warn, the libraries' at error): stdout is for results only;
     * MCP_HEALTH_LOG=debug|info|warn shows more. The
     * MCP SDK stays at error whatever is asked: at lower levels it logs response bodies and messages, which may carry
     * what a server echoed of our credentials. Lines are written by {@link StderrLogging}: no class names, no stack
     * traces, repeats limited. Must run before the first logger is made.
     */
    public static void logging(String requested) {
        String level = requested == null ? "error" : requested.strip().toLowerCase(java.util.Locale.ROOT);
        System.setProperty(StderrLogging.LEVEL, level);
        if (level.equals("debug") || level.equals("trace")) {
            // Jetty logs request headers at debug, the bearer token among them: never below info
            System.setProperty(StderrLogging.LEVEL + ".org.eclipse.jetty", "info");
        }
        if ("error".equals(level)) {
            // ours say at warn what a user must know: the database refused rows, an alert sink gave up
            System.setProperty(StderrLogging.LEVEL + ".dev.mcphealth", "warn");
        }
        System.setProperty(StderrLogging.LEVEL + ".io.modelcontextprotocol", "error");
        // Reactor logs errors it drops (Operators.onErrorDropped) at ERROR with the whole exception, and the SDK's
        // errors may quote what a server echoed of our headers: Reactor says nothing.
        System.setProperty(StderrLogging.LEVEL + ".reactor", "off");
    }
}
