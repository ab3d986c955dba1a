package dev.mcphealth.infrastructure.probe;

import java.time.Duration;

/** Limits of the probe that are not per-server settings. */
final class ProbeLimits {
    /** The SDK session's own timeout; ours (per server) is always shorter and applied per call. */
    static final Duration SESSION_REQUEST_TIMEOUT = Duration.ofMinutes(15);
    /**
     * The first server/discover a streamable-HTTP server is sent gets at most this long (and at most half its timeout):
     * servers older than the 2026-07-28 protocol may hold a request without a session instead of refusing it, and the
     * probe then falls back to the handshake ({@link StatelessProbe}).
     */
    static final Duration DISCOVER_FIRST_TIMEOUT = Duration.ofSeconds(2);
    /** Pages of tools/list read at most, so a server that always returns a cursor cannot keep us forever. */
    static final int MAX_TOOL_PAGES = 50;

    private ProbeLimits() {
    }
}
