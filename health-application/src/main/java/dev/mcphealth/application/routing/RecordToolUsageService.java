package dev.mcphealth.application.routing;

import dev.mcphealth.application.port.in.RecordToolUsageUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.ToolUsageStorePort;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.ToolLatency;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Each tool's minutes of calls through the pools ({@link ToolStats}, fed by every call) written to the store as
 * {@link ToolUsage} rows: each window once, after it ended (a flush comes every few seconds, and a window is held a
 * whole window after its end, so none is missed unless flushes stop for a minute), and the one under way at the stop.
 * A window without calls writes nothing.
 */
public final class RecordToolUsageService implements RecordToolUsageUseCase {
    /** The most rows kept waiting for a store that cannot take them: hours of a busy gateway's tools. */
    static final int MAX_PENDING = 10_000;

    private final ToolStats stats;
    private final ToolUsageStorePort store;
    private final Clock clock;
    /** Per type and tool, the last window written (or passed over when empty). */
    private final Map<ServerType, Map<String, Long>> written = new HashMap<>();
    private final ArrayDeque<ToolUsage> pending = new ArrayDeque<>();

    /** {@code stats}: the tools whose windows are written ({@link ResilientCallService#toolStatistics}). */
    public RecordToolUsageService(ToolStats stats, ToolUsageStorePort store, Clock clock) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Written record(boolean closing) {
        long now = Balancer.nanos(clock.instant());
        List<ToolUsage> ended = new ArrayList<>();
        stats.all().forEach((type, tools) -> tools.forEach((tool, latency) -> ended(type, tool, latency, now,
                closing, ended)));
        if (pending.isEmpty()) {
            return new Written(0, 0, Optional.empty(), ended);
        }
        List<ToolUsage> rows = new ArrayList<>(pending);
        try {
            store.save(rows);
        } catch (StorageUnavailableException e) {
            return new Written(0, pending.size(), Optional.of(e.getMessage()), ended);
        }
        pending.clear();
        return new Written(rows.size(), 0, Optional.empty(), ended);
    }

    /** Adds the tool's windows not written yet that ended by now (and the current one when closing). */
    private void ended(ServerType type, String tool, ToolLatency latency, long now, boolean closing,
                       List<ToolUsage> ended) {
        Map<String, Long> mine = written.computeIfAbsent(type, t -> new HashMap<>());
        long current = latency.windowOf(now);
        long last = mine.getOrDefault(tool, Long.MIN_VALUE);
        long upTo = closing ? current : current - 1;
        // only the last few windows are still held: any older one not written is gone (flushes stopped for that long)
        long held = current - (ToolLatency.GENERATIONS - 1);
        long from = last == Long.MIN_VALUE ? held : Math.max(last + 1, held);
        for (long w = from; w <= upTo; w++) {
            long index = w;
            latency.window(index).filter(x -> x.calls() > 0).ifPresent(x -> {
                ToolUsage row = ToolUsage.of(type, tool, index, latency.windowNanos(), x);
                ended.add(row);
                pending.addLast(row);
                if (pending.size() > MAX_PENDING) {
                    pending.removeFirst();
                }
            });
        }
        if (upTo > last) {
            mine.put(tool, upTo);
        }
    }
}
