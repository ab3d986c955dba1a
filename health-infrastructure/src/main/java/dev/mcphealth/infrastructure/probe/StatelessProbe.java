package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Handshake;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerInfo;
import dev.mcphealth.domain.model.ToolInventory;
import dev.mcphealth.domain.model.TransitionTable;
import dev.mcphealth.infrastructure.auth.AuthorizationException;
import dev.mcphealth.infrastructure.auth.OAuthClient;
import dev.mcphealth.infrastructure.config.Endpoint;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The probe of a streamable-HTTP server in the 2026-07-28 revision: {@code server/discover} as a request of its own,
 * with no session and nothing kept between probes but what was learned, and at comprehensive depth {@code tools/list}
 * (every page), its list reused while the server's {@code ttlMs} lasts.
 * <p>
 * Which era a server speaks is learned from answers that decide it ({@link Era}, {@link EraChange}): discover answered
 * with 2026-07-28 among the supported versions makes it {@code STATELESS}; a refusal a handshake-era server gives
 * (HTTP 400, 404, 405, 406 or 415, or a JSON-RPC error saying the method, the request or the version is not known)
 * makes it {@code HANDSHAKE}, and the session path probes it. Anything else (no answer in time, a broken connection,
 * 401, 403, 429, 5xx, a body that is no answer) decides nothing: the first time the session path then runs and says
 * what is wrong (a handshake-era server that answers it is then taken as one); for a server known to be stateless it
 * is that probe's failure. The handshake is forgotten after {@link #RELEARN}, and everything when the URL changes,
 * so a server upgraded in place is found again. The first discover gets at most half the probe's timeout (and at most
 * {@link ProbeLimits#DISCOVER_FIRST_TIMEOUT}), so a server that ignores it leaves time for the handshake.
 */
final class StatelessProbe implements AutoCloseable {
    /** How long a server found to speak only the handshake is not asked again. */
    static final Duration RELEARN = Duration.ofMinutes(10);
    /** The most characters of a failure's message. */
    static final int MAX_MESSAGE = 1000;
    private static final TypeRef<McpSchema.ListToolsResult> TOOLS = new TypeRef<>() {
    };
    /** JSON-RPC errors that say the server does not know the revision's request (or its version). */
    private static final Set<Integer> REFUSALS = Set.of(-32601, -32600, -32602, -32000, -32022);
    /** HTTP statuses a handshake-era server answers a request without a session with. */
    private static final Set<Integer> REFUSING_STATUSES = Set.of(400, 404, 405, 406, 415);

    /** What the probe knows of a server's protocol era. */
    enum Era { UNKNOWN, STATELESS, HANDSHAKE }

    /** Every legal change of what is known of a server's era. */
    enum EraChange {
        /** Discover answered with the revision. */
        FOUND_STATELESS(Era.UNKNOWN, Era.STATELESS),
        /** Discover refused, or not answered by a server whose handshake was. */
        FOUND_HANDSHAKE(Era.UNKNOWN, Era.HANDSHAKE),
        /** A server that spoke the revision refuses it now (replaced by an older one). */
        DOWNGRADED(Era.STATELESS, Era.HANDSHAKE),
        /** Time to ask again ({@link #RELEARN}), or the URL changed. */
        FORGOTTEN(Era.HANDSHAKE, Era.UNKNOWN),
        /** The URL changed. */
        MOVED(Era.STATELESS, Era.UNKNOWN);

        final Era from;
        final Era to;

        EraChange(Era from, Era to) {
            this.from = from;
            this.to = to;
        }

        static final TransitionTable<Era, EraChange> TABLE = new TransitionTable<>(Era.class, values(),
                c -> c.from, c -> c.to, "protocol era");
    }

    /** What is known of one server: its era, for which address (a URL, a command line), since when. */
    private record Known(Era era, String url, long sinceNanos) {
    }

    /** A tools list and until when it may be reused. */
    private record Listed(ToolInventory tools, long untilNanos) {
    }

    private static final class State {
        final AtomicReference<Known> known;
        final AtomicReference<Listed> tools = new AtomicReference<>();

        State(Known known) {
            this.known = new AtomicReference<>(known);
        }
    }

    private final StatelessHttp http;
    private final McpJsonMapper mapper;
    private final LongSupplier nanoTime;
    private final Map<ServerId, State> states = new ConcurrentHashMap<>();

    StatelessProbe(McpJsonMapper mapper, LongSupplier nanoTime, String version) {
        this.http = new StatelessHttp(mapper, "mcp-health", version);
        this.mapper = mapper;
        this.nanoTime = nanoTime;
    }

    /** Where a server is, as its era is remembered for: its URL, or its command line. */
    static String where(Endpoint endpoint) {
        if (endpoint instanceof Endpoint.Http http) {
            return http.url().toString();
        }
        Endpoint.Stdio stdio = (Endpoint.Stdio) endpoint;
        return "stdio:" + stdio.command() + " " + String.join(" ", stdio.args()) + stdio.cwd().map(d -> " in " + d)
                .orElse("");
    }

    /** What is known of the server's era now (after forgetting what is out of date). */
    Era era(ServerId server, String where) {
        return era(server, where, true);
    }

    /**
     * As above; {@code mayForget}: whether a handshake learned {@link #RELEARN} ago may be asked again now (not while
     * its session is live and answering: only when it is opened again, after a restart, which is when an upgrade
     * shows).
     */
    Era era(ServerId server, String where, boolean mayForget) {
        return current(state(server, where), where, mayForget).era();
    }

    /** Whether a {@code server/discover} result names the revision among the versions its server speaks. */
    static boolean speaksRevision(Map<String, Object> discovered) {
        return discovered != null && discovered.get("supportedVersions") instanceof List<?> versions
                && versions.contains(StatelessHttp.VERSION);
    }

    /** Whether a JSON-RPC error code (with its HTTP status; 0 over stdio) says the revision's request is unknown. */
    static boolean refusalCode(int code, int status) {
        return code == -32000 ? status == 400 : REFUSALS.contains(code);
    }

    /**
     * Learned elsewhere (the session path, a stdio process's first answer): the server at {@code where} speaks
     * {@code era}; a change the table does not have (one probe's word against another's) is left alone.
     */
    void learned(ServerId server, String where, Era era) {
        State st = state(server, where);
        Known k = current(st, where);
        if (EraChange.TABLE.find(k.era(), era).isPresent()) {
            if (era == Era.HANDSHAKE) {
                st.tools.set(null);
            }
            change(st, k, era, where);
        }
    }

    /**
     * One probe, when the server speaks (or may speak) the revision; empty when the session path must probe it.
     *
     * @param redact what makes a message safe (the server's secrets and tokens taken out)
     */
    Optional<ProbeReport> probe(MonitoredServer server, Endpoint.Http endpoint, CheckDepth depth,
                                Optional<OAuthClient> oauth, Instant startedAt, long start,
                                UnaryOperator<String> redact) {
        String where = where(endpoint);
        State st = state(server.id(), where);
        Known k = current(st, where);
        if (k.era() == Era.HANDSHAKE) {
            return Optional.empty();
        }
        boolean first = k.era() == Era.UNKNOWN;
        Duration timeout = server.timeout();
        Duration discoverBudget = first ? min(timeout.dividedBy(2), ProbeLimits.DISCOVER_FIRST_TIMEOUT) : timeout;
        String step = ProbeMethod.SERVER_DISCOVER.code();
        Duration allowed = discoverBudget;
        long begin = start;
        try {
            if (oauth.isPresent()) {
                // as long as a session's open would wait for it; the probe's own time starts after
                Transports.tokenWithin(oauth.get(), server.connectTimeout());
                begin = nanoTime.getAsLong();
            }
            long sent = nanoTime.getAsLong();
            StatelessHttp.Answer a = request(endpoint, oauth, step, Map.of(), begin, discoverBudget);
            Duration roundTrip = since(sent);
            Optional<Map<String, Object>> result = a.result();
            if (a.status() == 200 && result.isPresent() && speaksRevision(result.get())) {
                change(st, k, Era.STATELESS, where);
                first = false; // decided: what fails from here on is this probe's failure
                ServerInfo said = serverInfo(result.get());
                Handshake h = new Handshake(Duration.ZERO, StatelessHttp.VERSION, new ServerInfo(
                        Printable.shorten(redact.apply(said.name())), Printable.shorten(redact.apply(said.version()))));
                Optional<ToolInventory> tools = Optional.empty();
                if (depth == CheckDepth.COMPREHENSIVE) {
                    step = McpSchema.METHOD_TOOLS_LIST;
                    allowed = timeout;
                    tools = Optional.of(offersTools(result.get())
                            ? tools(st, endpoint, oauth, begin, timeout) : ToolFingerprint.of(List.of(), mapper));
                }
                return Optional.of(new ProbeReport(server.id(), startedAt, Optional.of(h), false,
                        new ProbeOutcome.Answered(roundTrip, ProbeMethod.SERVER_DISCOVER, tools)));
            }
            if (refusal(a, result)) {
                // a server of the handshake; one known to speak the revision is taken as one only once its handshake
                // answers (McpProbe), so that a proxy's 404 during a deploy does not change what it is
                st.tools.set(null);
                if (first) {
                    change(st, k, Era.HANDSHAKE, where);
                }
                return Optional.empty();
            }
            if (first) {
                return Optional.empty();
            }
            return Optional.of(failed(st, server, startedAt, start, answered(a, step), redact));
        } catch (ListingFailed e) {
            return Optional.of(failed(st, server, startedAt, start, e.why, redact));
        } catch (HttpConnectTimeoutException e) {
            return first ? Optional.empty() : Optional.of(failed(st, server, startedAt, start,
                    new FailureClassifier.Classified(FailureType.CONNECTION_ERROR, "no connection within "
                            + allowed.toMillis() + " ms during " + step), redact));
        } catch (IOException | RuntimeException e) {
            if (first && !(e instanceof AuthorizationException)) {
                return Optional.empty();
            }
            return Optional.of(failed(st, server, startedAt, start,
                    FailureClassifier.classify(e, step, allowed), redact));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(failed(st, server, startedAt, start, new FailureClassifier.Classified(
                    FailureType.TIMEOUT, "interrupted during " + step), redact));
        }
    }

    /** A refusal that says the server speaks only the handshake. */
    private static boolean refusal(StatelessHttp.Answer a, Optional<Map<String, Object>> result) {
        if (a.status() == 401 || a.status() == 403 || a.status() == 429 || a.status() >= 500) {
            return false;
        }
        if (a.errorCode().isPresent()) {
            return refusalCode(a.errorCode().get(), a.status());
        }
        if (a.status() == 200 && result.isPresent()) {
            return true; // answered, but not with the revision among its versions
        }
        return REFUSING_STATUSES.contains(a.status());
    }

    /** One request within what is left of {@code budget} since {@code start}; once more with a new token if refused. */
    private StatelessHttp.Answer request(Endpoint.Http endpoint, Optional<OAuthClient> oauth, String method,
                                         Map<String, Object> params, long start, Duration budget)
            throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
        Optional<String> sentWith = Optional.empty();
        if (oauth.isPresent()) {
            sentWith = Optional.of("Bearer " + Transports.tokenWithin(oauth.get(), left(budget, start)));
            headers.put("Authorization", sentWith.get());
        }
        StatelessHttp.Answer a = http.request(endpoint.url(), headers, method, params, left(budget, start));
        StatelessHttp.Answer refused = a;
        Optional<String> tokenSent = sentWith;
        if (oauth.isPresent() && (a.status() == 401 || a.status() == 403)) {
            Duration left = left(budget, start);
            if (Transports.authorizationWithin(() -> oauth.get().rejected(refused.status(), tokenSent,
                    refused.wwwAuthenticate()), left, "OAuth: the authorization server did not answer within "
                    + left.toMillis() + " ms (a new token after HTTP " + refused.status() + ")")) {
                headers.put("Authorization", "Bearer " + Transports.tokenWithin(oauth.get(), left(budget, start)));
                a = http.request(endpoint.url(), headers, method, params, left(budget, start));
            }
        }
        return a;
    }

    /** What is left of {@code budget} since {@code start}; a timeout when nothing is. */
    private Duration left(Duration budget, long start) throws HttpTimeoutException {
        Duration left = budget.minus(since(start));
        if (left.toMillis() < 1) {
            throw new HttpTimeoutException("no time left");
        }
        return left;
    }

    /** The server's tools, every page, or the last list while its ttlMs lasts. */
    private ToolInventory tools(State st, Endpoint.Http endpoint, Optional<OAuthClient> oauth, long start,
                                Duration timeout) throws IOException, InterruptedException {
        Listed cached = st.tools.get();
        if (cached != null && nanoTime.getAsLong() - cached.untilNanos() < 0) {
            return cached.tools();
        }
        String step = McpSchema.METHOD_TOOLS_LIST;
        List<McpSchema.Tool> all = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        long ttlMs = Long.MAX_VALUE;
        for (int page = 0; page < ProbeLimits.MAX_TOOL_PAGES; page++) {
            Map<String, Object> params = cursor == null ? Map.of() : Map.of("cursor", cursor);
            StatelessHttp.Answer a = request(endpoint, oauth, step, params, start, timeout);
            if (a.status() != 200 || a.result().isEmpty()) {
                throw new ListingFailed(answered(a, step));
            }
            Map<String, Object> r = a.result().get();
            McpSchema.ListToolsResult listed;
            try {
                listed = mapper.convertValue(r, TOOLS);
            } catch (RuntimeException e) {
                throw new ListingFailed(new FailureClassifier.Classified(FailureType.SERVER_ERROR,
                        "the server's answer to tools/list is not a list of tools"));
            }
            all.addAll(listed.tools() == null ? List.of() : listed.tools());
            ttlMs = Math.min(ttlMs, r.get("ttlMs") instanceof Number n ? Math.max(0, n.longValue()) : 0);
            cursor = listed.nextCursor();
            if (cursor == null || cursor.isEmpty() || !cursors.add(cursor)) {
                break;
            }
        }
        ToolInventory inventory = ToolFingerprint.of(all, mapper);
        long ttl = Math.min(ttlMs, Duration.ofHours(1).toMillis());
        st.tools.set(new Listed(inventory, nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(ttl)));
        return inventory;
    }

    /** A tools listing that failed, with what went wrong. */
    private static final class ListingFailed extends IOException {
        final transient FailureClassifier.Classified why;

        ListingFailed(FailureClassifier.Classified why) {
            super(why.message());
            this.why = why;
        }
    }

    /** What an answer that was no good result says: by its status, its JSON-RPC error, or what the body was. */
    private static FailureClassifier.Classified answered(StatelessHttp.Answer a, String step) {
        if (a.status() != 200 && !(a.status() == 400 && a.error().isPresent())) {
            return FailureClassifier.byStatus(a.status(), step);
        }
        if (a.error().isPresent()) {
            Object message = a.error().get().get("message");
            return new FailureClassifier.Classified(FailureType.SERVER_ERROR, step + " failed: JSON-RPC error "
                    + a.errorCode().map(String::valueOf).orElse("(no code)") + ": " + message);
        }
        return new FailureClassifier.Classified(FailureType.SERVER_ERROR, "the server answered " + step
                + " with no JSON-RPC answer to it");
    }

    private ProbeReport failed(State st, MonitoredServer server, Instant startedAt, long start,
                               FailureClassifier.Classified why, UnaryOperator<String> redact) {
        st.tools.set(null);
        return new ProbeReport(server.id(), startedAt, Optional.empty(), false,
                new ProbeOutcome.Failed(why.type(), cut(redact.apply(why.message())), since(start)));
    }

    /**
     * A message as a report may hold it: safe for a terminal, at most {@link #MAX_MESSAGE} characters (a server's
     * error text may be long); cut after redaction, so no part of a secret is left where the cut fell.
     */
    private static String cut(String s) {
        String safe = Printable.escape(s);
        return safe.length() <= MAX_MESSAGE ? safe : safe.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static boolean offersTools(Map<String, Object> discovered) {
        return discovered.get("capabilities") instanceof Map<?, ?> caps && caps.get("tools") != null;
    }

    /**
     * The server's name and version from a 2026-07-28 result's {@code _meta} (empty when it gives none), as it sent
     * them: redacted and cut where they are shown ({@link McpProbe#shown}).
     */
    static ServerInfo serverInfo(Map<String, Object> result) {
        if (result.get("_meta") instanceof Map<?, ?> meta
                && meta.get(StatelessHttp.META + "serverInfo") instanceof Map<?, ?> info) {
            return new ServerInfo(String.valueOf(info.get("name") == null ? "" : info.get("name")),
                    String.valueOf(info.get("version") == null ? "" : info.get("version")));
        }
        return new ServerInfo("", "");
    }

    private State state(ServerId server, String url) {
        return states.computeIfAbsent(server, s -> new State(new Known(Era.UNKNOWN, url, nanoTime.getAsLong())));
    }

    /** What is known, after forgetting a handshake learned {@link #RELEARN} ago, or anything of another URL. */
    private Known current(State st, String url) {
        return current(st, url, true);
    }

    private Known current(State st, String url, boolean mayForget) {
        Known k = st.known.get();
        if (!k.url().equals(url) && k.era() != Era.UNKNOWN) {
            st.tools.set(null);
            return change(st, k, Era.UNKNOWN, url);
        }
        if (!k.url().equals(url)) {
            Known moved = new Known(Era.UNKNOWN, url, nanoTime.getAsLong());
            return st.known.compareAndSet(k, moved) ? moved : st.known.get();
        }
        if (mayForget && k.era() == Era.HANDSHAKE
                && nanoTime.getAsLong() - k.sinceNanos() - RELEARN.toNanos() >= 0) {
            return change(st, k, Era.UNKNOWN, url);
        }
        return k;
    }

    /** Moves from {@code seen} to {@code to}, unless another probe changed it first (its word then stands). */
    private Known change(State st, Known seen, Era to, String url) {
        if (seen.era() == to) {
            return seen;
        }
        EraChange.TABLE.between(seen.era(), to);
        Known next = new Known(to, url, nanoTime.getAsLong());
        return st.known.compareAndSet(seen, next) ? next : st.known.get();
    }

    private Duration since(long start) {
        return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - start));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        http.close();
    }
}
