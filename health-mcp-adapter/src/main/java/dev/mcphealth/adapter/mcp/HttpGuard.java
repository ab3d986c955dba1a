package dev.mcphealth.adapter.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request passes here before the MCP transport sees it:
 * <ol>
 * <li>its {@code Host} must be the address the server is bound to (DNS-rebinding protection): else 403;</li>
 * <li>an {@code Origin}, if sent, must be that address too, over http or https: else 403;</li>
 * <li>with a token configured, {@code Authorization: Bearer <token>} must match (compared in constant time): else 401
 * with {@code WWW-Authenticate: Bearer};</li>
 * <li>its body may not exceed the limit: else 413, before the body is read past the limit.</li>
 * </ol>
 * The body is then handed on, and shown to {@link LogLevels} for {@code logging/setLevel}. The token is never logged
 * or echoed; refusals are logged by reason and client address only.
 */
final class HttpGuard implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);

    private final Set<String> hosts;
    private final Optional<byte[]> token;
    private final int maxBody;
    private final LogLevels levels;

    /** {@code hosts}: the allowed {@code host:port} authorities, lower case. */
    HttpGuard(Set<String> hosts, Optional<String> token, int maxBody, LogLevels levels) {
        this.hosts = Set.copyOf(hosts);
        this.token = token.map(HttpGuard::digest);
        this.maxBody = maxBody;
        this.levels = levels;
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
        if (token.isPresent() && !authorized(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"mcp-health\"");
            refuse(request, response, 401, "a valid bearer token is required");
            return;
        }
        String session = request.getHeader(SESSION_HEADER);
        if ("DELETE".equals(request.getMethod()) && session != null) {
            levels.forget(session);
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBody) {
            refuse(request, response, 413, "the request body of " + declared + " bytes exceeds the limit of "
                    + maxBody);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBody);
        if (body == null) {
            refuse(request, response, 413, "the request body exceeds the limit of " + maxBody + " bytes");
            return;
        }
        chain.doFilter(new CachedBody(request, body), response);
        if (session != null && response.getStatus() < 400) {
            // only a session the transport accepted is remembered (a made-up id gets 404 there)
            levels.observe(session, new String(body, StandardCharsets.UTF_8));
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

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest(header.substring(7).trim()), token.get());
    }

    /** Tokens are compared as SHA-256 digests: equal length, so the comparison tells nothing of the token's length. */
    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The body, or null if it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (out.size() + n > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String why)
            throws IOException {
        LOG.warn("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                why);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        String message = why.replace("\\", "\\\\").replace("\"", "\\\"");
        response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\""
                + message + "\"}}");
    }

    private static String quoted(String s) {
        if (s == null) {
            return "(none)";
        }
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    /** The request with its body already read, so the transport reads the same bytes. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
