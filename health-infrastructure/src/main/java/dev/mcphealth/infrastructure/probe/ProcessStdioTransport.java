package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.infrastructure.config.Endpoint;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A stdio client transport that owns its server process, unlike the SDK's: a command that cannot start fails
 * {@link #start()} at once with the operating system's reason, and the process's exit is a signal ({@link #exit()})
 * that callers race their requests against, so a dead server is seen at once instead of after a request timeout.
 * Messages are newline-delimited JSON-RPC. The server's stderr is kept (last lines only) for error messages and is
 * never printed: it may hold secrets.
 */
final class ProcessStdioTransport implements McpClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessStdioTransport.class);
    private static final int STDERR_LINES = 20;
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration STDERR_SETTLE = Duration.ofMillis(200);
    private static final Duration EXIT_SETTLE = Duration.ofMillis(1000);

    private final Endpoint.Stdio endpoint;
    private final McpJsonMapper mapper;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private volatile Process process;
    private OutputStream stdin;

    ProcessStdioTransport(Endpoint.Stdio endpoint, McpJsonMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
    }

    /** Starts the process. @throws ServerStartException with the OS's reason when it cannot be started */
    void start() {
        ProcessBuilder pb = new ProcessBuilder(commandLine());
        pb.environment().putAll(endpoint.env());
        endpoint.cwd().ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ServerStartException(endpoint.command(), osReason(e));
        }
        stdin = process.getOutputStream();
        Thread err = new Thread(this::drainStderr, "mcp-stderr-" + process.pid());
        err.setDaemon(true);
        err.start();
        process.onExit().thenAccept(p -> {
            try {
                // let the last words on stderr arrive: they usually say why it ended
                err.join(STDERR_SETTLE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exited.complete(p.exitValue());
        });
    }

    private List<String> commandLine() {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(endpoint.command());
        cmd.addAll(endpoint.args());
        return cmd;
    }

    /** "Cannot run program "x": error=2, No such file or directory" becomes "No such file or directory". */
    static String osReason(IOException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("error=");
        if (i >= 0) {
            int comma = m.indexOf(", ", i);
            return comma > 0 ? m.substring(comma + 2) : m.substring(i);
        }
        return m;
    }

    /** Completes with the exit code when the process ends, whoever ended it. */
    CompletableFuture<Integer> exit() {
        return exited;
    }

    /** The last non-blank stderr line, or null. */
    synchronized String lastStderrLine() {
        java.util.Iterator<String> it = stderrTail.descendingIterator();
        while (it.hasNext()) {
            String line = it.next().strip();
            if (!line.isEmpty()) {
                return line.length() > 300 ? line.substring(0, 300) + "…" : line;
            }
        }
        return null;
    }

    private void drainStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (this) {
                    if (stderrTail.size() == STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("stderr of {} closed: {}", endpoint.command(), e.getMessage());
        }
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        if (process == null) {
            return Mono.error(new IllegalStateException("start() the process before connecting"));
        }
        Thread reader = new Thread(() -> readStdout(handler), "mcp-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return Mono.empty();
    }

    private void readStdout(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                McpSchema.JSONRPCMessage message;
                try {
                    message = McpSchema.deserializeJsonRpcMessage(mapper, line);
                } catch (RuntimeException | IOException e) {
                    // A server that prints non-protocol text on stdout breaks the protocol; say so, do not crash.
                    LOG.warn("{} wrote a line that is not JSON-RPC on stdout ({} characters)", endpoint.command(),
                            line.length());
                    continue;
                }
                handler.apply(Mono.just(message)).subscribe(m -> { }, e -> LOG.debug("handler failed", e));
            }
        } catch (IOException e) {
            LOG.debug("stdout of {} closed: {}", endpoint.command(), e.getMessage());
        }
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            if (exited.isDone()) {
                throw new ServerExitedException(exited.join(), lastStderrLine());
            }
            try {
                String json = mapper.writeValueAsString(message);
                byte[] bytes = (json.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                synchronized (this) {
                    stdin.write(bytes);
                    stdin.flush();
                }
            } catch (IOException e) {
                // A broken pipe means the process is going or gone: wait briefly for its exit to say so.
                try {
                    throw new ServerExitedException(exited.get(EXIT_SETTLE.toMillis(), TimeUnit.MILLISECONDS),
                            lastStderrLine());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                    // still running: report the write failure itself
                }
                throw new java.io.UncheckedIOException("cannot write to the server's stdin: " + e.getMessage(), e);
            }
        });
    }

    /** Closes stdin (the MCP way to ask a stdio server to stop), then SIGTERM, then SIGKILL, each after a grace. */
    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::stop);
    }

    @Override
    public void close() {
        stop();
    }

    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            synchronized (this) {
                stdin.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
        if (await(p)) {
            return;
        }
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        if (await(p)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            return;
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static boolean await(Process p) {
        try {
            return p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
