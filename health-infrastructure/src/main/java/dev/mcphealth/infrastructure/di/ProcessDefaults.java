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
        logging(requested, false);
    }

    /**
     * As {@link #logging(String)}; {@code ourBackend}: the program (the CLI, the MCP server, never a program that embeds
     * the library with a backend of its own) names {@link StderrLogging} as SLF4J's provider, so that SLF4J does not open
     * every jar on the class path to look for one (tens of ms of each start), and says only what goes wrong about it.
     */
    public static void logging(String requested, boolean ourBackend) {
        if (ourBackend && System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", StderrLogging.class.getName());
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
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
        // Flyway logs at error what it could not undo after a migration failed ("Unable to rollback transaction",
        // "Unable to restore autocommit": a full disk while a migration ran): the failure itself is said once, by us
        System.setProperty(StderrLogging.LEVEL + ".org.flywaydb.core.internal.jdbc.TransactionalExecutionTemplate",
                "off");
        // Reactor logs errors it drops (Operators.onErrorDropped) at ERROR with the whole exception, and the SDK's
        // errors may quote what a server echoed of our headers: Reactor says nothing.
        System.setProperty(StderrLogging.LEVEL + ".reactor", "off");
    }

    /**
     * What a thread that dies of something nobody caught does, in a program (the CLI, the MCP server; never a program
     * that embeds the library): the JVM's default prints the whole stack trace to stderr, class names and all, and lets
     * the process live on without that thread; the MCP server's stdio writer or a server's output reader gone, it
     * answers nothing more and exits 0 at the end of its input, so no supervisor restarts it. Instead: one line on
     * {@code err} naming the thread and what happened in words ({@link dev.mcphealth.domain.model.Faults#describe});
     * and when the JVM itself is failing (out of memory, a stack overflow, an internal error) the process ends at once
     * with {@code fatalExit}, as {@code -XX:+ExitOnOutOfMemoryError} (which the launchers set) ends it on the first
     * out-of-memory error. Any other uncaught exception is said in one line (escaped, cut), and the process goes on.
     */
    public static void fatalErrors(String program, java.io.PrintStream err, int fatalExit) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof VirtualMachineError) {
                try {
                    err.println(program + ": " + (e instanceof OutOfMemoryError ? "out of memory"
                            : e instanceof StackOverflowError ? "a stack overflow" : "the Java runtime failed")
                            + " in thread " + dev.mcphealth.domain.model.Printable.shorten(thread.getName())
                            + "; stopping (exit " + fatalExit + ")");
                    err.flush();
                } finally {
                    Runtime.getRuntime().halt(fatalExit);
                }
            }
            err.println(program + ": an unexpected failure in thread " + dev.mcphealth.domain.model.Printable.shorten(
                    thread.getName()) + ": " + dev.mcphealth.domain.model.Printable.shorten(
                    dev.mcphealth.domain.model.Faults.describe(e)));
        });
    }

    /**
     * Ends the process with {@code code} at once. The JDK's HTTP client (Java 17 has no way to close one) keeps a
     * selector thread blocked in native code, and the JVM's exit waits up to 300 ms for threads in native code to
     * stop (30 rounds of 10 ms): every command that spoke HTTP paid that after its work was done. Those selector
     * threads are interrupted first (interrupting one ends it: its loop stops when interrupted); the caller has closed
     * everything else. A JDK that names the thread differently only loses the saving.
     */
    public static void exit(int code) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        stopHttpSelectors(java.util.Arrays.copyOf(threads, n));
        System.exit(code);
    }

    /** Interrupts those of {@code threads} that are a JDK HTTP client's selector; how many they were. */
    static int stopHttpSelectors(Thread... threads) {
        int stopped = 0;
        for (Thread t : threads) {
            String name = t.getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                t.interrupt();
                stopped++;
            }
        }
        return stopped;
    }
}
