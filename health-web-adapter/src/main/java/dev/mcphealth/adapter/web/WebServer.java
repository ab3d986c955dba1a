package dev.mcphealth.adapter.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The pages on an HTTP server of their own ({@code bin/mcp-health watch --http PORT}): the dashboard, the read API,
 * the event stream, badges and {@code /metrics}, behind the {@link WebGuard} (127.0.0.1 by default; any other address
 * needs the token). {@code bin/mcp-health-server --http} mounts the same pages beside {@code /mcp} instead.
 */
public final class WebServer implements AutoCloseable {
    /** Where and how to listen: {@code allowedHosts} are extra names clients may use in Host. */
    public record Settings(String bind, int port, Optional<String> token, List<String> allowedHosts) {
        public Settings {
            Objects.requireNonNull(bind, "bind");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the port must be 0..65535, got " + port);
            }
            Objects.requireNonNull(token, "token");
            allowedHosts = List.copyOf(allowedHosts);
        }
    }

    private final Server jetty;
    private final WebPages pages;
    private final String url;

    private WebServer(Server jetty, WebPages pages, String url) {
        this.jetty = jetty;
        this.pages = pages;
        this.url = url;
    }

    /**
     * Serves the pages on {@code settings.bind():settings.port()} (port 0: any free port; {@link #url()} says which).
     *
     * @throws IllegalArgumentException if a non-loopback address is to be bound without a token
     * @throws Exception if the port cannot be bound
     */
    public static WebServer start(Settings settings, WebPages.Sources sources) throws Exception {
        return start(settings, sources, PAGES);
    }

    /**
     * What a server that serves more than the pages adds: {@code bearerOnly} paths the pages' cookie does not open,
     * how the guard's refusals read for its clients, its threads at most, and {@code mount} adding its servlets and
     * filters to the context before it starts (its filters run after the guard).
     */
    public record More(Set<String> bearerOnly, WebGuard.Refusals refusals, int maxThreads,
                       Consumer<ServletContextHandler> mount) {
        public More {
            bearerOnly = Set.copyOf(bearerOnly);
            Objects.requireNonNull(refusals, "refusals");
            Objects.requireNonNull(mount, "mount");
            if (maxThreads < 8) {
                throw new IllegalArgumentException("at least 8 threads, got " + maxThreads);
            }
        }
    }

    /** The pages alone, as {@code watch --http} serves them. */
    private static final More PAGES = new More(Set.of(), WebGuard.JSON, 32, context -> { });

    /** As above, with {@code more} served beside the pages. */
    public static WebServer start(Settings settings, WebPages.Sources sources, More more) throws Exception {
        if (!WebGuard.loopback(settings.bind()) && settings.token().isEmpty()) {
            throw new IllegalArgumentException("binding " + settings.bind() + " (not loopback) needs a bearer token:"
                    + " pass --token-file");
        }
        QueuedThreadPool threads = new QueuedThreadPool(more.maxThreads(), 2);
        threads.setName("mcp-health-http");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // the guard needs the port, known only once bound: added first (it runs first), filled in once bound
        Guard guard = new Guard();
        FilterHolder filter = new FilterHolder(guard);
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        more.mount().accept(context);
        WebPages pages = WebPages.mount(context, sources);
        jetty.setHandler(context);
        connector.open();
        int port = connector.getLocalPort();
        guard.delegate = new WebGuard(WebGuard.hosts(settings.bind(), port, settings.allowedHosts()),
                settings.token(), more.bearerOnly(), more.refusals());
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        return new WebServer(jetty, pages, "http://" + host + ":" + port + "/");
    }

    /** The dashboard's address. */
    public String url() {
        return url;
    }

    /** One of the monitor's events, as its JSON line, kept and pushed to the open pages ({@link WebPages#publish}). */
    public void publish(dev.mcphealth.domain.model.MonitorEvent event, String json) {
        pages.publish(event, json);
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not stop: " + e.getMessage(), e);
        }
    }

    /** A filter whose guard is set once the port is known. */
    private static final class Guard implements jakarta.servlet.Filter {
        volatile WebGuard delegate;

        @Override
        public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res,
                             jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
            delegate.doFilter(req, res, chain);
        }
    }

    /** The most a token file may hold: a token of 4 KiB is far past any a person makes (openssl rand -hex 32: 64). */
    static final int MAX_TOKEN_FILE = 4096;

    /**
     * The token in {@code file} (its one line), for {@code --token-file}: refused, naming the file, when it is missing,
     * unreadable, not one line without spaces, or shorter than 16 characters; {@code warn} is told when other users
     * may read it.
     */
    public static String readToken(Path file, Consumer<String> warn) {
        String text;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            // at most a little more than any token: /dev/zero or a log given by mistake is refused, not read whole
            byte[] read = in.readNBytes(MAX_TOKEN_FILE + 1);
            if (read.length > MAX_TOKEN_FILE) {
                throw new IllegalArgumentException("--token-file " + file + " must hold one token: it is longer than "
                        + MAX_TOKEN_FILE + " bytes");
            }
            text = new String(read, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--token-file " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage());
        }
        if (text.isEmpty() || text.contains("\n") || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--token-file " + file + " must hold one token: a single line "
                    + "without spaces");
        }
        if (text.length() < 16) {
            throw new IllegalArgumentException("--token-file " + file + ": the token is too short (at least "
                    + "16 characters; e.g. openssl rand -hex 32)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                warn.accept(file + " is readable by other users (chmod 600 it)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return text;
    }
}
