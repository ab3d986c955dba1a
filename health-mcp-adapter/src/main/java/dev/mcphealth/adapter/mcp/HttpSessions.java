package dev.mcphealth.adapter.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP sessions clients hold, as far as the guard sees them, so that their number has a cap. A session is counted
 * from the answer to its {@code initialize} until it is deleted, answered "not found", or idle for {@link #idle}
 * (no request, no open stream): the SDK's own sweeper closes such sessions after half to all of that time (it is
 * given half of it as its interval), so a session counted here may already be gone there, never the other way round;
 * the cap errs on the safe side. Thread-safe.
 */
final class HttpSessions {
    private final int max;
    private final Duration idle;
    private final Clock clock;
    private final Map<String, Entry> sessions = new HashMap<>();
    private int reserved;

    private static final class Entry {
        Instant lastSeen;
        int openStreams;

        Entry(Instant lastSeen) {
            this.lastSeen = lastSeen;
        }
    }

    HttpSessions(int max, Duration idle, Clock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("the session cap must be at least 1, got " + max);
        }
        if (idle.toSeconds() < 2) {
            throw new IllegalArgumentException("the idle timeout must be at least 2 s, got " + idle);
        }
        this.max = max;
        this.idle = idle;
        this.clock = clock;
    }

    int max() {
        return max;
    }

    Duration idle() {
        return idle;
    }

    /**
     * Reserves room for one new session if there is any (idle ones are forgotten first): an {@code initialize} being
     * answered holds its place, so that many at once cannot pass the cap together. Every reservation ends with
     * {@link #opened} or {@link #unreserved}.
     */
    synchronized boolean reserve() {
        Instant now = clock.instant();
        sessions.values().removeIf(e -> e.openStreams == 0 && !now.isBefore(e.lastSeen.plus(idle)));
        if (sessions.size() + reserved >= max) {
            return false;
        }
        reserved++;
        return true;
    }

    /** Whether {@code id} is a session the transport opened and that is still held. */
    synchronized boolean known(String id) {
        return sessions.containsKey(id);
    }

    /** The reserved place is taken by the session {@code id} the transport opened. */
    synchronized void opened(String id) {
        reserved = Math.max(0, reserved - 1);
        sessions.put(id, new Entry(clock.instant()));
    }

    /** The reserved place is given back: the transport opened no session. */
    synchronized void unreserved() {
        reserved = Math.max(0, reserved - 1);
    }

    /** A request of the session was accepted by the transport. */
    synchronized void seen(String id) {
        Entry e = sessions.get(id);
        if (e == null) {
            // the transport knows it though the count had let it go idle: count it again
            sessions.put(id, new Entry(clock.instant()));
        } else {
            e.lastSeen = clock.instant();
        }
    }

    synchronized void streamOpened(String id) {
        seen(id);
        sessions.get(id).openStreams++;
    }

    synchronized void streamClosed(String id) {
        Entry e = sessions.get(id);
        if (e != null) {
            e.openStreams = Math.max(0, e.openStreams - 1);
            e.lastSeen = clock.instant();
        }
    }

    synchronized void gone(String id) {
        sessions.remove(id);
    }

    synchronized int size() {
        return sessions.size();
    }
}
