package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Status snapshots and histories as tables for people or JSON for programs. In tables, control and bidirectional
 * formatting characters of names and server texts are escaped ({@link Printable}).
 */
final class StatusView {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private StatusView() {
    }

    // ---- status -------------------------------------------------------------------------------------------------

    static String table(List<StatusSnapshot> snapshots, Instant now) {
        StringBuilder s = new StringBuilder();
        int w = NameColumn.width(snapshots.stream().map(snap -> Printable.escape(snap.server().value())));
        String row = "%-" + w + "s %-9s %9s %9s %9s %9s %8s %9s  %s%n";
        s.append(String.format(Locale.ROOT, row, "SERVER", "STATUS", "UPDATED",
                "P50", "P99", "ERRORS", "AVAIL", "SLA", "LAST FAILURE"));
        for (StatusSnapshot snap : snapshots) {
            WindowStats minute = snap.window(Duration.ofMinutes(1)).orElse(WindowStats.empty(Duration.ofMinutes(1)));
            WindowStats hour = snap.window(Duration.ofHours(1)).orElse(WindowStats.empty(Duration.ofHours(1)));
            String failure = snap.lastFailure().map(f -> f.type().code() + " " + snap.lastFailureAt()
                    .map(at -> ago(at, now) + " ago").orElse("") + ": " + f.message()).orElse("-");
            s.append(String.format(Locale.ROOT, row,
                    NameColumn.fit(Printable.escape(snap.server().value()), w), snap.statusOr("unknown"),
                    ago(snap.updatedAt(), now) + " ago", ms(minute.p50()), ms(minute.p99()),
                    pct(minute.errorRate()), pct(hour.availability()), pct(snap.sla()),
                    cut(Printable.escape(failure), 70)));
        }
        s.append("p50/p99/errors: the minute before UPDATED; availability: the hour before; SLA: since the watch began")
                .append(System.lineSeparator());
        return s.toString();
    }

    static ObjectNode json(StatusSnapshot snap) {
        ObjectNode o = CliJson.MAPPER.createObjectNode();
        o.put("name", snap.server().value());
        o.put("serverType", snap.type().value());
        o.put("status", snap.status().map(x -> x.code()).orElse(null));
        o.put("since", snap.since().map(Instant::toString).orElse(null));
        snap.standby().ifPresent(p -> o.put("standby", p.code()));
        o.put("updatedAt", snap.updatedAt().toString());
        ObjectNode windows = o.putObject("windows");
        for (WindowStats w : snap.windows()) {
            ObjectNode wo = windows.putObject(Durations.format(w.window()));
            wo.put("calls", w.calls());
            wo.put("errors", w.errors());
            wo.put("probes", w.probes());
            putNumber(wo, "errorRate", w.errorRate());
            putNumber(wo, "availability", w.availability());
            wo.put("throughputPerSecond", round(w.throughput()));
            putNumber(wo, "p50Ms", w.p50().map(StatusView::millis));
            putNumber(wo, "p95Ms", w.p95().map(StatusView::millis));
            putNumber(wo, "p99Ms", w.p99().map(StatusView::millis));
        }
        putNumber(o, "sla", snap.sla());
        o.put("slaTarget", snap.slaTarget());
        if (snap.sla().isPresent()) {
            o.put("slaMet", snap.sla().get() >= snap.slaTarget());
        } else {
            o.putNull("slaMet");
        }
        if (snap.lastFailure().isPresent()) {
            ObjectNode f = o.putObject("lastFailure");
            f.put("type", snap.lastFailure().get().type().code());
            f.put("message", snap.lastFailure().get().message());
            f.put("at", snap.lastFailureAt().map(Instant::toString).orElse(null));
        } else {
            o.putNull("lastFailure");
        }
        ObjectNode details = o.putObject("details");
        snap.details().forEach(details::put);
        return o;
    }

    static String json(List<StatusSnapshot> snapshots, String database) {
        return json(snapshots, database, java.util.Optional.empty());
    }

    /** With the monitors sharing the database and who holds which server, when they do (docs/cluster.md). */
    static String json(List<StatusSnapshot> snapshots, String database,
                       java.util.Optional<dev.mcphealth.domain.monitoring.ClusterView> cluster) {
        ObjectNode root = CliJson.MAPPER.createObjectNode();
        root.put("database", database);
        var servers = root.putArray("servers");
        snapshots.forEach(s -> servers.add(json(s)));
        cluster.ifPresent(c -> root.set("cluster", CliJson.MAPPER.valueToTree(
                dev.mcphealth.adapter.web.ApiViews.cluster(c).map())));
        return CliJson.MAPPER.writeValueAsString(root);
    }

    /** The cluster under the status table: each member, its heartbeat and what it holds. */
    static String cluster(dev.mcphealth.domain.monitoring.ClusterView c) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "cluster: %d of %d monitors live (lease %s)%n", c.live().size(),
                c.members().size(), Durations.format(c.lease())));
        for (var m : c.members()) {
            if (!m.live() && m.stoppedAt().isPresent()) {
                continue; // stopped cleanly: nothing to say of it
            }
            List<String> held = c.heldBy(m.id());
            s.append(String.format(Locale.ROOT, "  %-40s %-5s heartbeat %s ago, holds %d: %s%n",
                    cut(Printable.escape(m.id()), 40), m.live() ? "live" : "gone", ago(m.heartbeatAt(), c.at()),
                    held.size(), cut(Printable.escape(String.join(", ", held)), 60)));
        }
        return s.toString();
    }

    // ---- history ------------------------------------------------------------------------------------------------

    static String table(HistoryReport h) {
        StringBuilder s = new StringBuilder();
        s.append(Printable.escape(h.server().value())).append(" from ").append(STAMP.format(h.since())).append(" to ")
                .append(STAMP.format(h.until())).append(" UTC").append(System.lineSeparator());
        if (h.buckets().isEmpty()) {
            s.append("no metrics recorded in this period").append(System.lineSeparator());
        } else {
            s.append(String.format(Locale.ROOT, "%-17s %6s %7s %9s %9s %9s  %s%n", "FROM", "WIDTH", "PROBES", "AVAIL",
                    "P50", "P99", "WORST"));
            for (HistoryBucket b : h.buckets()) {
                s.append(String.format(Locale.ROOT, "%-17s %6s %7d %9s %9s %9s  %s%n", STAMP.format(b.start()),
                        Durations.format(b.width()), b.probes(), pct(b.availability()), msd(b.p50Ms()),
                        msd(b.p99Ms()), b.worst().code()));
            }
        }
        s.append(System.lineSeparator()).append("alerts: ").append(h.alerts().size()).append(System.lineSeparator());
        for (Alert a : h.alerts()) {
            s.append("  ").append(STAMP.format(a.raisedAt())).append(' ').append(a.severity().code()).append(' ')
                    .append(Printable.escape(a.message())).append(a.resolvedAt().map(r -> " (resolved " + CLOCK.format(r) + ")")
                            .orElse(" (open)")).append(System.lineSeparator());
        }
        s.append("failures: ").append(h.failures().size()).append(System.lineSeparator());
        for (Failure f : h.failures()) {
            s.append("  ").append(STAMP.format(f.occurredAt())).append(' ').append(f.type().code()).append(' ')
                    .append(cut(Printable.escape(f.errorDetails()), 80)).append(f.resolutionTime()
                            .map(r -> " (resolved in " + Durations.format(r.isZero() ? Duration.ofSeconds(1) : r) + ")")
                            .orElse(" (open)")).append(System.lineSeparator());
        }
        return s.toString();
    }

    static String json(HistoryReport h, String database) {
        ObjectNode root = CliJson.MAPPER.createObjectNode();
        root.put("database", database);
        root.put("server", h.server().value());
        root.put("since", h.since().toString());
        root.put("until", h.until().toString());
        var buckets = root.putArray("buckets");
        for (HistoryBucket b : h.buckets()) {
            ObjectNode o = buckets.addObject();
            o.put("start", b.start().toString());
            o.put("widthSeconds", b.width().toSeconds());
            o.put("probes", b.probes());
            o.put("answered", b.answered());
            putNumber(o, "availability", b.availability());
            putNumber(o, "p50Ms", b.p50Ms());
            putNumber(o, "p95Ms", b.p95Ms());
            putNumber(o, "p99Ms", b.p99Ms());
            o.put("worst", b.worst().code());
        }
        var alerts = root.putArray("alerts");
        for (Alert a : h.alerts()) {
            ObjectNode o = alerts.addObject();
            o.put("id", a.id());
            o.put("severity", a.severity().code());
            o.put("message", a.message());
            o.put("raisedAt", a.raisedAt().toString());
            o.put("resolvedAt", a.resolvedAt().map(Instant::toString).orElse(null));
        }
        var failures = root.putArray("failures");
        for (Failure f : h.failures()) {
            ObjectNode o = failures.addObject();
            o.put("type", f.type().code());
            o.put("occurredAt", f.occurredAt().toString());
            o.put("details", f.errorDetails());
            o.put("resolved", f.resolved());
            if (f.resolutionTime().isPresent()) {
                o.put("resolutionSeconds", f.resolutionTime().get().toSeconds());
            } else {
                o.putNull("resolutionSeconds");
            }
        }
        return CliJson.MAPPER.writeValueAsString(root);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void putNumber(ObjectNode o, String name, Optional<Double> v) {
        if (v.isPresent()) {
            o.put(name, round(v.get()));
        } else {
            o.putNull(name);
        }
    }

    static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String ms(Optional<Duration> d) {
        return d.map(x -> String.format(Locale.ROOT, "%.1fms", millis(x))).orElse("-");
    }

    private static String msd(Optional<Double> d) {
        return d.map(x -> String.format(Locale.ROOT, "%.1fms", x)).orElse("-");
    }

    private static String pct(Optional<Double> v) {
        return v.map(x -> String.format(Locale.ROOT, "%.2f%%", x * 100)).orElse("-");
    }

    static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        return d.isNegative() || d.toSeconds() < 1 ? "0s" : Durations.format(d);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
