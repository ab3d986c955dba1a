package dev.mcphealth.adapter.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request of the server passes here first:
 * <ol>
 * <li>its {@code Host} must be the address the server is bound to (DNS-rebinding protection): else 403;</li>
 * <li>an {@code Origin}, if sent, must be that address too, over http or https: else 403;</li>
 * <li>with a token configured, {@code Authorization: Bearer <token>} must match (compared in constant time): else 401
 * with {@code WWW-Authenticate: Bearer};</li>
 * <li>a browser's page (GET or HEAD of any path but the bearer-only ones, as matched: {@code /./mcp} is
 * {@code /mcp}) may instead carry the token's cookie, which {@code ?token=} gives once (HttpOnly, SameSite=Strict, a
 * digest of the token, named for the port);</li>
 * <li>TRACE is refused (it would echo the request's Authorization).</li>
 * </ol>
 * The token is never logged or echoed; refusals are logged by reason and client address only, and answered with one
 * line in the server's own format ({@link Refusals}).
 */
public final class WebGuard implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(WebGuard.class);
    /** The cookie's name before the port (browsers share a host's cookies across its ports). */
    public static final String COOKIE = "mcp_health_";

    /** How a refusal's body reads: one line saying why, in the format of the server's clients. */
    @FunctionalInterface
    public interface Refusals {
        String body(String why);
    }

    /** A refusal as the read API's errors read: {@code {"error": "..."}}. */
    public static final Refusals JSON = why -> "{\"error\":\"" + why.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}";

    private final Set<String> hosts;
    private final Optional<byte[]> token;
    /** The value of the browser's cookie for the token (a digest of it), when there is a token. */
    private final Optional<String> cookie;
    private final Set<String> bearerOnly;
    private final Refusals refusals;

    /**
     * {@code hosts}: the allowed {@code host:port} authorities, lower case ({@link #hosts}); {@code bearerOnly}: the
     * servlet paths the cookie does not open (an MCP endpoint: only a client with the token may call tools).
     */
    public WebGuard(Set<String> hosts, Optional<String> token, Set<String> bearerOnly, Refusals refusals) {
        this.hosts = Set.copyOf(hosts);
        this.token = token.map(WebGuard::digest);
        this.cookie = token.map(t -> java.util.HexFormat.of().formatHex(digest("mcp-health-cookie:" + t)));
        this.bearerOnly = Set.copyOf(bearerOnly);
        this.refusals = java.util.Objects.requireNonNull(refusals, "refusals");
    }

    /** The Host values accepted: the bound address with its port, localhost too on loopback, and the extra names. */
    public static Set<String> hosts(String bind, int port, List<String> allowedHosts) {
        Set<String> hosts = new LinkedHashSet<>();
        String b = bind.toLowerCase(Locale.ROOT);
        hosts.add((b.contains(":") ? "[" + b + "]" : b) + ":" + port);
        if (loopback(bind)) {
            hosts.add("localhost:" + port);
            hosts.add("127.0.0.1:" + port);
            hosts.add("[::1]:" + port);
        }
        for (String h : allowedHosts) {
            String name = h.toLowerCase(Locale.ROOT);
            hosts.add(name.matches(".*:\\d+$") && !name.endsWith("]") ? name : name + ":" + port);
        }
        return hosts;
    }

    /** Whether {@code bind} names a loopback address (a name is resolved once, locally). */
    public static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the bind address " + bind);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String host = request.getHeader("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            refuse(request, response, 403, "Host " + quoted(host) + " is not this server's address");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin)) {
            refuse(request, response, 403, "Origin " + quoted(origin) + " is not allowed");
            return;
        }
        // the path as the servlets are matched (normalized: /./mcp is /mcp), never the raw URI
        boolean page = ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && !bearerOnly.contains(request.getServletPath());
        if (token.isPresent() && page && request.getParameter("token") != null) {
            exchange(request, response);
            return;
        }
        if (token.isPresent() && !authorized(request.getHeader("Authorization"))
                && !(page && cookieMatches(request))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"mcp-health\"");
            refuse(request, response, 401, "a valid bearer token is required");
            return;
        }
        if ("TRACE".equals(request.getMethod())) {
            refuse(request, response, 405, "TRACE is not served");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The browser's one sight of the token: exchanged for an HttpOnly, SameSite=Strict cookie, then the page again
     * without it in its address (its other parameters kept), by a page of ours (a redirect answering a link from
     * another site would come back without the Strict cookie).
     */
    private void exchange(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!matches(request.getParameter("token"))) {
            refuse(request, response, 401, "a valid token is required");
            return;
        }
        response.setHeader("Set-Cookie", COOKIE + request.getLocalPort() + "=" + cookie.orElseThrow()
                + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'none'");
        response.setStatus(200);
        response.setContentType("text/html; charset=utf-8");
        String path = request.getServletPath() + Optional.ofNullable(request.getPathInfo()).orElse("");
        // our own path, never one a browser could read as another host's (//x, /\x) or with controls in it
        String to = path.matches("/[A-Za-z0-9._~/-]*") && !path.startsWith("//") ? path : "/";
        String query = request.getQueryString() == null ? "" : String.join("&", java.util.Arrays.stream(
                request.getQueryString().split("&")).filter(p -> !p.isEmpty() && !"token".equals(name(p))).toList());
        String safe = Answers.markup(to + (query.isEmpty() ? "" : "?" + query));
        response.getOutputStream().write(("<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=" + safe
                + "\"><title>MCP Health</title><a href=\"" + safe + "\">Continue</a>\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A query parameter's name, decoded as the servlet decodes it ({@code %74oken} is {@code token}). */
    private static String name(String parameter) {
        String raw = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
        try {
            return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return "token"; // not a name we can read: left out with the token
        }
    }

    private boolean originAllowed(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"http://", "https://"}) {
            if (o.startsWith(scheme) && hosts.contains(o.substring(scheme.length()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code candidate} is the token (as digests, in constant time). */
    private boolean matches(String candidate) {
        return MessageDigest.isEqual(digest(candidate.trim()), token.get());
    }

    /** Whether the request carries the token's cookie. */
    private boolean cookieMatches(HttpServletRequest request) {
        jakarta.servlet.http.Cookie[] cookies = request.getCookies();
        if (cookies == null || cookie.isEmpty()) {
            return false;
        }
        byte[] wanted = cookie.get().getBytes(StandardCharsets.US_ASCII);
        String name = COOKIE + request.getLocalPort();
        for (jakarta.servlet.http.Cookie c : cookies) {
            if (name.equals(c.getName()) && c.getValue() != null
                    && MessageDigest.isEqual(c.getValue().getBytes(StandardCharsets.US_ASCII), wanted)) {
                return true;
            }
        }
        return false;
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return matches(header.substring(7));
    }

    /** Tokens are compared as SHA-256 digests: equal length, so the comparison tells nothing of the token's length. */
    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String why)
            throws IOException {
        LOG.warn("refused {} {} from {}: {}", request.getMethod(), Answers.printable(request.getRequestURI(), 200),
                request.getRemoteAddr(), Answers.printable(why, 200));
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(refusals.body(why));
    }

    private static String quoted(String s) {
        return s == null ? "(none)" : "'" + Answers.printable(s, 80) + "'";
    }
}
