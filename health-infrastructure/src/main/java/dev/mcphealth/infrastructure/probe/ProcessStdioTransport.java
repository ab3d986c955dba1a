package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.infrastructure.config.Endpoint;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A stdio client transport that owns its server process, unlike the SDK's: a command that cannot start fails
 * {@link #start()} at once with the operating system's reason, and the process's exit is a signal ({@link #exit()})
 * that callers race their requests against, so a dead server is seen at once instead of after a request timeout.
 * The whole process tree is ours: when the started process ends (an {@code npx} or shell wrapper, say), the servers it
 * started are stopped too, so that an orphan never answers for it. Messages are newline-delimited JSON-RPC. The
 * server's stderr is kept (last lines only) for error messages and is never printed: it may hold secrets.
 */
final class ProcessStdioTransport implements McpClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessStdioTransport.class);
    private static final int STDERR_LINES = 20;
    /**
     * The longest message a server may write on stdout: far above any real tool list or result, far below harm. A
     * longer one breaks the session (a server_error that says so), and never costs more memory than this.
     */
    static final int MAX_MESSAGE = 16 << 20;
    /** The longest stderr line kept (the rest of a longer one is read and dropped): only the last lines are shown. */
    static final int MAX_STDERR_LINE = 8 << 10;
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration EXIT_SETTLE = Duration.ofMillis(1000);

    private final Endpoint.Stdio endpoint;
    private final McpJsonMapper mapper;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final CompletableFuture<Void> stderrClosed = new CompletableFuture<>();
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();
    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();
    private final Object writeLock = new Object();
    private volatile Process process;
    private OutputStream stdin;

    ProcessStdioTransport(Endpoint.Stdio endpoint, McpJsonMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
    }

    /** Starts the process. @throws ServerStartException with the OS's reason when it cannot be started */
    void start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(endpoint.command());
        cmd.addAll(endpoint.args());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        ChildEnvironment.withoutOwnSecrets(pb.environment());
        pb.environment().putAll(endpoint.env());
        if (ChildEnvironment.guardChildren()) {
            pb.environment().put(ChildEnvironment.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        } else {
            pb.environment().remove(ChildEnvironment.PARENT_PID);
        }
        endpoint.cwd().ifPresent(d -> pb.directory(d.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            // the OS says "No such file or directory" for a missing working directory as for a missing command
            Optional<String> badDirectory = endpoint.cwd().filter(d -> !java.nio.file.Files.isDirectory(d))
                    .map(d -> "its working directory " + d + (java.nio.file.Files.exists(d) ? " is not a directory"
                            : " does not exist") + " (cwd)");
            throw new ServerStartException(endpoint.command(), badDirectory.orElseGet(() -> osReason(e)));
        }
        stdin = process.getOutputStream();
        daemon("mcp-stderr-" + process.pid(), this::drainStderr);
        process.onExit().thenAccept(p -> {
            // the wrapper is gone: its children must not go on answering in its name
            rememberTree();
            tree.forEach(ProcessHandle::destroyForcibly);
            exited.complete(p.exitValue());
        });
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

    /** Completes with the exit code as soon as the started process ends, whoever ended it. */
    CompletableFuture<Integer> exit() {
        return exited;
    }

    /** Notes the processes the server has started so far, so that they can be stopped with it. */
    void rememberTree() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(tree::add);
        }
    }

    /**
     * The last non-blank line the server wrote to stderr (may hold secrets: redact before showing), waiting up to
     * {@code settle} for a dying server's last words to arrive; null if there were none.
     */
    String lastWords(Duration settle) {
        try {
            stderrClosed.get(settle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // take what has arrived
        }
        synchronized (stderrTail) {
            Iterator<String> it = stderrTail.descendingIterator();
            while (it.hasNext()) {
                String line = it.next().strip();
                if (!line.isEmpty()) {
                    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
                }
            }
        }
        return null;
    }

    /** Completes when the server broke the protocol beyond repair (a message over {@link #MAX_MESSAGE}). */
    CompletableFuture<Throwable> broken() {
        return broken;
    }

    private void drainStderr() {
        try (InputStream err = process.getErrorStream()) {
            new BoundedLines(err, MAX_STDERR_LINE).readAll(new BoundedLines.Sink() {
                @Override
                public void line(String line) {
                    keepStderr(line);
                }

                @Override
                public void tooLong(String start, long bytes) {
                    keepStderr(start + "… (" + bytes + " bytes in all)");
                }
            });
        } catch (IOException e) {
            LOG.debug("stderr of {} closed: {}", endpoint.command(), e.getMessage());
        } finally {
            stderrClosed.complete(null);
        }
    }

    private void keepStderr(String line) {
        synchronized (stderrTail) {
            if (stderrTail.size() == STDERR_LINES) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(line);
        }
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        if (process == null) {
            return Mono.error(new IllegalStateException("start() the process before connecting"));
        }
        daemon("mcp-stdout-" + process.pid(), () -> readStdout(handler));
        return Mono.empty();
    }

    private void readStdout(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        try (InputStream out = process.getInputStream()) {
            new BoundedLines(out, MAX_MESSAGE).readAll(new BoundedLines.Sink() {
                @Override
                public void line(String line) {
                    message(line, handler);
                }

                @Override
                public void tooLong(String start, long bytes) {
                    // its answer is lost: the session cannot go on as if nothing happened
                    broken.complete(new ProtocolViolationException("the server wrote a message of " + bytes
                            + " bytes on stdout, over the limit of " + MAX_MESSAGE + " bytes"));
                }
            });
        } catch (IOException e) {
            LOG.debug("stdout of {} closed: {}", endpoint.command(), e.getMessage());
        }
    }

    private void message(String line, Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        if (line.isBlank()) {
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, line);
        } catch (RuntimeException | IOException e) {
            message = malformedAnswer(line).orElse(null);
            if (message == null) {
                // A server that prints non-protocol text on stdout breaks the protocol; say so, do not crash.
                LOG.warn("{} wrote a line that is not JSON-RPC on stdout ({} characters)", endpoint.command(),
                        line.length());
                return;
            }
        }
        if (message instanceof McpSchema.JSONRPCResponse r && (r.result() == null) == (r.error() == null)) {
            message = malformed(r.id());
        }
        handler.apply(Mono.just(message)).subscribe(m -> { }, e -> LOG.debug("handler failed", e));
    }

    /**
     * An answer the SDK cannot read whose request can still be told (a JSON object with an id and no method: no
     * result and no error, say): its request ends at once as the server's error, instead of waiting for its timeout
     * (and the server blamed for a timeout it did not have).
     */
    private Optional<McpSchema.JSONRPCMessage> malformedAnswer(String line) {
        try {
            Object parsed = mapper.readValue(line, Object.class);
            if (parsed instanceof java.util.Map<?, ?> m && !m.containsKey("method")
                    && (m.get("id") instanceof String || m.get("id") instanceof Number)) {
                return Optional.of(malformed(m.get("id")));
            }
        } catch (IOException | RuntimeException notJson) {
            // not JSON at all: said by the caller
        }
        return Optional.empty();
    }

    /** The error its request gets for an answer that is not a JSON-RPC response. */
    private static McpSchema.JSONRPCResponse malformed(Object id) {
        return McpSchema.JSONRPCResponse.error(id, new McpSchema.JSONRPCResponse.JSONRPCError(
                McpSchema.ErrorCodes.INTERNAL_ERROR, "the server's answer to request "
                + dev.mcphealth.domain.model.Printable.shorten(String.valueOf(id)) + " is not a JSON-RPC response"
                + " (it must have a result or an error, one of them, of the protocol's shape)"));
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            Process p = process;
            if (!p.isAlive()) {
                // asked of the OS, not of the exit callback, which may not have run yet: an orphan of a dead wrapper
                // must not get the chance to answer
                tree.forEach(ProcessHandle::destroyForcibly);
                throw new ServerExitedException(p.exitValue(), this::lastWords, true);
            }
            try {
                byte[] bytes = (mapper.writeValueAsString(message).replace("\r\n", "\\n").replace("\n", "\\n")
                        .replace("\r", "\\n") + "\n").getBytes(StandardCharsets.UTF_8);
                synchronized (writeLock) {
                    stdin.write(bytes);
                    stdin.flush();
                }
            } catch (IOException e) {
                // A broken pipe means the process is going or gone: wait briefly for its exit to say so.
                try {
                    exited.get(EXIT_SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                    throw new ServerExitedException(exited.join(), this::lastWords, true);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException stillRunning) {
                    // report the write failure itself
                }
                throw new ServerUnreachableException("cannot write to the server's stdin (" + e.getMessage() + ")");
            }
        });
    }

    ServerExitedException exitedException() {
        return new ServerExitedException(exited.join(), this::lastWords);
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
        if (p == null) {
            return;
        }
        rememberTree();
        try {
            // not under the write lock: a write blocked on a full pipe must not keep us from stopping
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
        if (p.isAlive() && !await(p)) {
            rememberTree();
            tree.forEach(ProcessHandle::destroy);
            p.destroy();
            if (!await(p)) {
                p.destroyForcibly();
            }
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean await(Process p) {
        try {
            return p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
