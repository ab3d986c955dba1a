package dev.mcphealth.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code @modelcontextprotocol/server-everything} from npm: its stdio command line, or a running HTTP
 * (streamable or SSE) instance on a free loopback port. Only 127.0.0.1 is ever used to reach it.
 */
public final class EverythingServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private final Process process;
    private final int port;

    private EverythingServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Path entryPoint() {
        return RepoPaths.nodeModule("@modelcontextprotocol/server-everything/dist/index.js");
    }

    /** The command and arguments that start it over stdio. */
    public static List<String> stdioCommand() {
        return List.of("node", entryPoint().toString(), "stdio");
    }

    /** Starts it over streamable HTTP; returns once it says it listens. */
    public static EverythingServer streamableHttp() {
        return start("streamableHttp", "listening on port", freeLoopbackPort());
    }

    /** Starts it over streamable HTTP on a given port (to bring a server back where it was). */
    public static EverythingServer streamableHttpOn(int port) {
        return start("streamableHttp", "listening on port", port);
    }

    /** Starts it over the older HTTP+SSE transport; returns once it says it listens. */
    public static EverythingServer sse() {
        return start("sse", "running on port", freeLoopbackPort());
    }

    private static EverythingServer start(String mode, String readyLine, int port) {
        ProcessBuilder pb = new ProcessBuilder("node", entryPoint().toString(), mode)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", Integer.toString(port));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            // not closed here: the server writes to stderr for as long as it runs, and dies of a closed pipe
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains(readyLine)) {
                        drain(r);
                        return;
                    }
                }
                throw new IllegalStateException("server-everything " + mode + " ended before listening");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("server-everything " + mode + " did not start on port " + port, e);
        }
        return new EverythingServer(p, port);
    }

    /** Keeps reading its stderr in the background so that it never blocks on a full pipe. */
    private static void drain(BufferedReader r) {
        Thread t = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "everything-stderr");
        t.setDaemon(true);
        t.start();
    }

    public static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The streamable HTTP endpoint. */
    public String mcpUrl() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    /** The SSE endpoint. */
    public String sseUrl() {
        return "http://127.0.0.1:" + port + "/sse";
    }

    /** SIGSTOP: the process stays, its sockets stay open, nothing answers (a hung server). */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    public long pid() {
        return process.pid();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling", e);
        }
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                signal("CONT"); // a stopped process cannot act on SIGKILL's cleanup of its children otherwise
            } catch (IllegalStateException ignored) {
                // it died meanwhile
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        kill();
    }
}
