package dev.mcphealth.adapter.mcp;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request passes here after the {@link dev.mcphealth.adapter.web.WebGuard} (Host, Origin, the token or the
 * pages' cookie, TRACE) and before the MCP transport sees it: its body may not exceed the limit (else 413, before the
 * body is read past the limit); a POST's body then passes the {@link JsonRpcGate}: a message that is not a good
 * JSON-RPC message, or a request whose params the server cannot use, is answered here with one JSON-RPC error (HTTP 400
 * for a broken envelope or a refused notification, 200 for a request's bad params, within a session or on
 * {@code initialize}); a new session beyond the cap ({@link HttpSessions}) gets 503. Everything else is handed on, with
 * the answer passing {@link ScrubbingResponse} (no serialized exception, no class name reaches the client), and shown
 * to {@link LogLevels} for {@code logging/setLevel}. Refusals are logged by reason and client address only.
 */
final class HttpGuard implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);

    private final int maxBody;
    private final LogLevels levels;
    private final JsonRpcGate gate;
    private final ErrorScrubber scrubber;
    private final HttpSessions sessions;
    private final Cancellations cancellations;
    private final StatelessServer stateless;

    HttpGuard(int maxBody, LogLevels levels, JsonRpcGate gate, ErrorScrubber scrubber, HttpSessions sessions) {
        this(maxBody, levels, gate, scrubber, sessions, null);
    }

    /** {@code cancellations}: where a gateway call's cancellation is passed on (null: nowhere). */
    HttpGuard(int maxBody, LogLevels levels, JsonRpcGate gate, ErrorScrubber scrubber, HttpSessions sessions,
              Cancellations cancellations) {
        this(maxBody, levels, gate, scrubber, sessions, cancellations, null);
    }

    /** {@code stateless}: what answers the 2026-07-28 revision's requests, sent without a session (null: none). */
    HttpGuard(int maxBody, LogLevels levels, JsonRpcGate gate, ErrorScrubber scrubber, HttpSessions sessions,
              Cancellations cancellations, StatelessServer stateless) {
        this.stateless = stateless;
        this.cancellations = cancellations;
        this.maxBody = maxBody;
        this.levels = levels;
        this.gate = gate;
        this.scrubber = scrubber;
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        boolean mcp = McpHealthServer.ENDPOINT.equals(request.getServletPath());
        // a session is the MCP endpoint's: a header sent to /metrics is no session's business, and is not tracked
        String session = mcp ? request.getHeader(SESSION_HEADER) : null;
        if (!"POST".equals(request.getMethod())) {
            ScrubbingResponse scrubbed = new ScrubbingResponse(response, scrubber, null);
            chain.doFilter(request, scrubbed);
            if (!request.isAsyncStarted()) {
                scrubbed.finish();
            }
            if (session != null) {
                track(request, scrubbed, session);
            }
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
        String text = new String(body, StandardCharsets.UTF_8);
        JsonRpcGate.Verdict verdict = gate.check(text);
        if (mcp && session == null && stateless != null && revision(request, response, text, verdict)) {
            return;
        }
        Object id = null;
        boolean opening = false;
        if (verdict instanceof JsonRpcGate.Refuse refused) {
            if (answered(request, response, refused, session)) {
                return;
            }
            id = refused.id();
        } else if (verdict instanceof JsonRpcGate.Pass pass) {
            id = pass.id();
            if (session != null && cancellations != null && sessions.known(session)) {
                String handedOn = cancellations.passed(session, pass, text);
                if (!handedOn.equals(text)) {
                    body = handedOn.getBytes(StandardCharsets.UTF_8);
                }
            }
            // the transport opens a new session for every initialize, whatever session header it carries
            if (pass.initialize()) {
                if (!sessions.reserve()) {
                    response.setHeader("Retry-After", Long.toString(Math.max(1, sessions.idle().toSeconds() / 2)));
                    answer(request, response, 503, gate.errorLine(id, -32000, "too many sessions: this server holds"
                            + " at most " + sessions.max() + " (--max-sessions); end one with DELETE, or retry once"
                            + " idle ones have expired"), "session cap reached");
                    return;
                }
                opening = true;
            }
        }
        ScrubbingResponse scrubbed = new ScrubbingResponse(response, scrubber, id);
        try {
            chain.doFilter(new CachedBody(request, body), scrubbed);
        } finally {
            if (opening) {
                String opened = scrubbed.sessionId();
                if (opened != null && scrubbed.getStatus() < 400) {
                    sessions.opened(opened);
                } else {
                    sessions.unreserved();
                }
            }
        }
        if (!request.isAsyncStarted()) {
            scrubbed.finish();
        }
        if (session != null && !opening) {
            track(request, scrubbed, session);
            if (scrubbed.getStatus() < 400) {
                // only a session the transport accepted is remembered (a made-up id gets 404 there)
                levels.observe(session, text);
            }
        }
    }

    /**
     * Answers a message the gate refused, unless the transport should: a request without a session that is not
     * {@code initialize} is told by the transport that it needs one, whatever its params. True when answered here.
     */
    private boolean answered(HttpServletRequest request, HttpServletResponse response, JsonRpcGate.Refuse refused,
                             String session) throws IOException {
        if (refused.params() && session == null && !"initialize".equals(refused.method())) {
            return false;
        }
        // a request with bad params is a good request with an error answer; anything else is a bad HTTP request
        int status = refused.params() && refused.answerable() ? 200 : 400;
        answer(request, response, status, gate.errorLine(refused), refused.message());
        return true;
    }

    /**
     * Answers a request of the 2026-07-28 revision (sent without a session: {@link StatelessServer#revision}); false
     * for anything else, which goes on to the transport. A revision's notification is accepted and dropped (202).
     */
    private boolean revision(HttpServletRequest request, HttpServletResponse response, String text,
                             JsonRpcGate.Verdict verdict) throws IOException {
        java.util.Optional<String> version = java.util.Optional.ofNullable(request.getHeader("MCP-Protocol-Version"));
        boolean asks = verdict instanceof JsonRpcGate.Pass p ? p.request()
                : verdict instanceof JsonRpcGate.Refuse r && r.params() && r.answerable();
        java.util.Map<String, Object> message = stateless.parse(text);
        if (!StatelessServer.revision(message, version)) {
            return false;
        }
        if (verdict instanceof JsonRpcGate.Refuse refused) {
            answer(request, response, 400, gate.errorLine(refused), refused.message());
            return true;
        }
        if (!asks) {
            response.setStatus(202);
            return true;
        }
        StatelessServer.Answer a = stateless.answer(message, new StatelessServer.Headers(version,
                java.util.Optional.ofNullable(request.getHeader("Mcp-Method")),
                java.util.Optional.ofNullable(request.getHeader("Mcp-Name"))));
        if (a.status() != 200) {
            LOG.warn("refused {} {} from {}: a request of the 2026-07-28 revision answered with HTTP {}",
                    request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), a.status());
        }
        response.setStatus(a.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(a.json());
        return true;
    }

    /** What the transport's answer says of the session: a stream opened or closed, the session seen or gone. */
    private void track(HttpServletRequest request, ScrubbingResponse answer, String session) {
        int status = answer.getStatus();
        if (status == 404) {
            sessions.gone(session);
            levels.forget(session);
        } else if (status < 400 && "DELETE".equals(request.getMethod())) {
            sessions.gone(session);
            levels.forget(session);
            if (cancellations != null) {
                cancellations.sessionEnded(session);
            }
        } else if (status < 400 && request.isAsyncStarted()) {
            sessions.streamOpened(session);
            try {
                request.getAsyncContext().addListener(new StreamEnd(() -> sessions.streamClosed(session)));
            } catch (IllegalStateException endedMeanwhile) {
                sessions.streamClosed(session); // the stream ended between the two calls
            }
        } else if (status < 400) {
            sessions.seen(session);
        }
    }

    /** Writes an answer of the guard's own (a JSON-RPC error), logging why. */
    private static void answer(HttpServletRequest request, HttpServletResponse response, int status, String json,
                               String why) throws IOException {
        LOG.warn("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                ErrorScrubber.printable(why, 200));
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json);
    }

    /** Runs {@code then} once when an asynchronous answer (an event stream) ends, however it ends. */
    private record StreamEnd(Runnable then) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            then.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
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

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String why)
            throws IOException {
        answer(request, response, status, gate.errorLine(null, JsonRpcGate.INVALID_REQUEST, why), why);
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
