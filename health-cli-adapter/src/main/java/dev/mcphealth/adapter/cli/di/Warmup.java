package dev.mcphealth.adapter.cli.di;

import java.util.Set;

/**
 * What {@code check} initializes anyway, initialized on a second thread while the main
 * one parses the command line: Jackson (through the configuration's reader) and the MCP SDK's JSON mapper and schema.
 * A JVM starts on one thread; on a machine of two cores or more this took 20-60 ms off the way to the first probe
 * (docs/benchmarks.md, "Cold start"). The main thread waits for it ({@link #await()}) before it reads the configuration
 * or touches the SDK: no class is then initialized from both ends at once (two threads initializing classes that need
 * each other would wait for each other for good).
 */
final class Warmup {
    /** The commands that read a configuration and probe at once, and wait for this before they touch the SDK. */
    private static final Set<String> FOR = Set.of("check");
    private static volatile Thread thread;

    private Warmup() {
    }

    /** Starts it when {@code args} name such a command; once per process. */
    static synchronized void begin(String[] args) {
        if (thread != null || args.length == 0 || !FOR.contains(args[0])
                || Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread t = new Thread(Warmup::run, "mcp-health-warmup");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private static void run() {
        try {
            ClassLoader loader = Warmup.class.getClassLoader();
            Class.forName("dev.mcphealth.infrastructure.config.ConfigLoader", true, loader);
            io.modelcontextprotocol.json.McpJsonDefaults.getMapper();
            Class.forName("io.modelcontextprotocol.spec.McpSchema", true, loader);
        } catch (Throwable ignored) {
            // nothing is lost: the main thread initializes them as it comes to them, and says what fails then
        }
    }

    /** Waits for it to end, if it was started (a few seconds at most: after that the main thread goes on). */
    static void await() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
