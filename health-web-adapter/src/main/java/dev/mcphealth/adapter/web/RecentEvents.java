package dev.mcphealth.adapter.web;

import dev.mcphealth.domain.model.MonitorEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The monitor's last events since this server started, newest last, at most {@link #KEPT}: what {@code GET
 * /api/v1/events} and the dashboard's events page and server timelines show (each as the JSON line docs/events.md
 * gives, the same as the MCP notifications and {@code watch --json}), from the monitor's first event on (the server's
 * main keeps them before the HTTP server is up). Kept in memory only: the stored alerts, failure episodes and breaker
 * changes are the durable record; this is the live one.
 */
public final class RecentEvents {
    public static final int KEPT = 1000;

    /** One event: its number (1, 2, ... since the start), its server and its JSON line. */
    record Entry(long seq, String server, String json) {
        Entry {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(json, "json");
        }
    }

    private final ArrayDeque<Entry> kept = new ArrayDeque<>();
    private long last;

    /** Keeps {@code event} (the oldest kept goes when full); returns its number. */
    public synchronized long add(MonitorEvent event, String json) {
        if (kept.size() == KEPT) {
            kept.removeFirst();
        }
        kept.addLast(new Entry(++last, event.server().value(), json));
        return last;
    }

    /** The number of the last event kept (0 before the first). */
    synchronized long last() {
        return last;
    }

    /** The events kept after number {@code seq}, oldest first (a reconnecting page's missed ones). */
    synchronized List<Entry> after(long seq) {
        return kept.stream().filter(e -> e.seq() > seq).toList();
    }

    /** The newest {@code limit} events, of {@code server} when given, oldest first. */
    synchronized List<Entry> last(Optional<String> server, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Iterator<Entry> it = kept.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            Entry e = it.next();
            if (server.isEmpty() || server.get().equals(e.server())) {
                out.add(e);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }
}
