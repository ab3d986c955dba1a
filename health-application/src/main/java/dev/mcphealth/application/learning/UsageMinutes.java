package dev.mcphealth.application.learning;

import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** The windows of calls a flush wrote, as the minutes each profile learns. */
final class UsageMinutes {
    private UsageMinutes() {
    }

    /** The index of the {@code minuteNanos}-long minute {@code t} falls in. */
    static long index(Instant t, long minuteNanos) {
        return Math.floorDiv(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano()),
                minuteNanos);
    }

    /** A profile's name: a server type's tool, or the type as a whole ({@code tool} empty). */
    record Key(ServerType type, String tool) {
    }

    /**
     * The windows as minutes of each tool and of each type (its tools summed), by the index of the learned minute
     * ({@code minuteNanos} long) they begin in; a window of another length counts as its calls per learned minute.
     */
    static Map<Key, TreeMap<Long, UsageProfile.Minute>> minutes(List<ToolUsage> windows, long minuteNanos) {
        Map<Key, TreeMap<Long, UsageProfile.Minute>> tools = new LinkedHashMap<>();
        for (ToolUsage w : windows) {
            double perMinute = minuteNanos / (double) w.window().toNanos();
            tools.computeIfAbsent(new Key(w.serverType(), w.tool()), k -> new TreeMap<>()).merge(
                    index(w.from(), minuteNanos),
                    new UsageProfile.Minute(w.calls() * perMinute, w.failures() * perMinute, w.p50Ms(), w.p95Ms()),
                    UsageMinutes::together);
        }
        Map<Key, TreeMap<Long, List<UsageProfile.Minute>>> byType = new LinkedHashMap<>();
        tools.forEach((k, perMinute) -> perMinute.forEach((minute, m) -> byType.computeIfAbsent(new Key(k.type(), ""),
                x -> new TreeMap<>()).computeIfAbsent(minute, x -> new ArrayList<>()).add(m)));
        Map<Key, TreeMap<Long, UsageProfile.Minute>> out = new LinkedHashMap<>(tools);
        byType.forEach((k, perMinute) -> {
            TreeMap<Long, UsageProfile.Minute> type = new TreeMap<>();
            perMinute.forEach((minute, ms) -> type.put(minute, summed(ms)));
            out.put(k, type);
        });
        return out;
    }

    /** A type's minute from its tools': calls and failures summed, the answered calls' mean p50, the highest p95. */
    private static UsageProfile.Minute summed(List<UsageProfile.Minute> tools) {
        double calls = 0;
        double failures = 0;
        double weighted = 0;
        double answered = 0;
        OptionalDouble p95 = OptionalDouble.empty();
        for (UsageProfile.Minute m : tools) {
            calls += m.callsPerMinute();
            failures += m.failures();
            if (m.p50Ms().isPresent()) {
                double n = m.callsPerMinute() - m.failures();
                weighted += m.p50Ms().getAsDouble() * n;
                answered += n;
            }
            p95 = max(p95, m.p95Ms());
        }
        return new UsageProfile.Minute(calls, failures,
                answered > 0 ? OptionalDouble.of(weighted / answered) : OptionalDouble.empty(), p95);
    }

    /** Two rows of one tool's minute (a gateway's and a library's): their calls summed, the slower latencies. */
    private static UsageProfile.Minute together(UsageProfile.Minute a, UsageProfile.Minute b) {
        return new UsageProfile.Minute(a.callsPerMinute() + b.callsPerMinute(), a.failures() + b.failures(),
                max(a.p50Ms(), b.p50Ms()), max(a.p95Ms(), b.p95Ms()));
    }

    private static OptionalDouble max(OptionalDouble a, OptionalDouble b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : OptionalDouble.of(Math.max(a.getAsDouble(), b.getAsDouble()));
    }
}
