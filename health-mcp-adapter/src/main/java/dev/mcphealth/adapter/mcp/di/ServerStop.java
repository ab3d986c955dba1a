package dev.mcphealth.adapter.mcp.di;

import dev.mcphealth.adapter.mcp.McpHealthServer;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.infrastructure.di.McpHealth;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How {@code bin/mcp-health-server} stops, once, whatever asks first (end of input on stdio, SIGTERM or Ctrl-C, the
 * JVM's shutdown, the database lost): the server closes, the monitor writes what it holds within {@link #GRACE} and
 * stops the servers it started, and the exit code says whether everything was recorded (0, else
 * {@link ServerMain#CANNOT_START}). A second stop waits for the first.
 */
final class ServerStop implements Runnable {
    static final Duration GRACE = Duration.ofSeconds(5);

    private final McpHealth health;
    private final PrintStream err;
    private final AtomicReference<McpHealthServer> server = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger exitCode = new AtomicInteger(0);
    private final CountDownLatch stopped = new CountDownLatch(1);

    ServerStop(McpHealth health, PrintStream err) {
        this.health = health;
        this.err = err;
    }

    /** The server to close first, once it is up. */
    void serving(McpHealthServer s) {
        server.set(s);
    }

    /** The exit code the stop came to: 0, or {@link ServerMain#CANNOT_START} when something was not recorded. */
    int exitCode() {
        return exitCode.get();
    }

    @Override
    public void run() {
        if (!closed.compareAndSet(false, true)) {
            awaitStopped(); // already stopping (end of input, then SIGTERM): exit only once it is done
            return;
        }
        try {
            McpHealthServer s = server.get();
            if (s != null) {
                s.close();
            }
        } catch (RuntimeException e) {
            err.println("mcp-health-server: " + e.getMessage());
        } finally {
            try {
                FlushReport last = health.stop(GRACE);
                if (last.storageProblem().isPresent() || last.dropped() > 0) {
                    exitCode.set(ServerMain.CANNOT_START);
                    last.storageProblem().ifPresent(p -> err.println("mcp-health-server: "
                            + (last.pending() > 0 ? last.pending() + " rows" : "the last status")
                            + " not recorded: " + p));
                    if (last.dropped() > 0) {
                        err.println("mcp-health-server: " + last.dropped() + " metric rows dropped while the"
                                + " database was unavailable (the buffer was full)");
                    }
                }
                if (health.storeLost().isPresent()) {
                    exitCode.set(ServerMain.CANNOT_START);
                }
            } finally {
                health.close();
                stopped.countDown();
            }
        }
    }

    /** Stops on a thread of its own, then exits with the stop's code ({@code code}, when given, instead). */
    void stopAndExit(String thread, Integer code) {
        new Thread(() -> {
            run();
            System.exit(code == null ? exitCode() : code);
        }, thread).start();
    }

    /**
     * SIGTERM and Ctrl-C stop the server cleanly and exit 0 (3 if rows could not be written): the monitor writes what
     * it holds and the servers it started are stopped. (Left to the JVM, the exit code would be 143 or 130 whatever
     * happened.) A second signal gives up at once.
     */
    @SuppressWarnings("removal")
    void onSignals() {
        AtomicBoolean asked = new AtomicBoolean();
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                if (asked.getAndSet(true)) {
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                stopAndExit("mcp-health-signal", null);
            });
        }
    }

    /** Waits until the stop is done (it is bounded: {@link #GRACE}, then the servers are killed). */
    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
