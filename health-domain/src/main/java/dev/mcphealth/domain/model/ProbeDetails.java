package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The context stored with each metric row (its details column). Nothing secret goes in here. */
public final class ProbeDetails {
    private ProbeDetails() {
    }

    public static Map<String, String> of(MonitoredServer server, ProbeReport probe, CheckDepth depth) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("transport", server.transport().code());
        d.put("depth", depth.code());
        probe.connectTime().ifPresent(c -> d.put("connectMs", format(millis(c))));
        // The handshake is news only on the probe that opened the session; a kept session's would repeat on every row.
        probe.handshake().filter(h -> probe.sessionOpened()).ifPresent(h -> {
            d.put("protocolVersion", h.protocolVersion());
            d.put("serverName", h.serverInfo().name());
            d.put("serverVersion", h.serverInfo().version());
        });
        if (probe.outcome() instanceof ProbeOutcome.Answered a) {
            d.put("probe", a.method().code());
            a.tools().ifPresent(t -> {
                d.put("toolCount", Integer.toString(t.count()));
                d.put("toolsHash", t.hash());
            });
        } else if (probe.outcome() instanceof ProbeOutcome.Failed f) {
            d.put("failureType", f.type().code());
            d.put("elapsedMs", format(millis(f.elapsed())));
        }
        return d;
    }

    public static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    private static String format(double ms) {
        return String.format(java.util.Locale.ROOT, "%.3f", ms);
    }
}
