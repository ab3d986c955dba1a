package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.HealthReport;
import dev.mcphealth.application.port.in.ServerHealth;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.ProbeOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A health report as a table for people or as one JSON object for programs. In the table, control and bidirectional
 * formatting characters of names and server texts are escaped ({@link Printable}); JSON escapes them its own way.
 */
final class ReportView {

    private ReportView() {
    }

    static String json(HealthReport report, String database) {
        ObjectNode root = CliJson.MAPPER.createObjectNode();
        root.put("overall", report.overall().code());
        root.put("checkedAt", report.checkedAt().toString());
        root.put("database", database);
        root.put("recorded", report.storageProblem().isEmpty());
        ArrayNode servers = root.putArray("servers");
        for (ServerHealth s : report.servers()) {
            ObjectNode o = servers.addObject();
            o.put("name", s.server().id().value());
            o.put("serverType", s.server().type().value());
            o.put("transport", s.server().transport().code());
            o.put("status", s.status().code());
            ProbeOutcome outcome = s.probe().outcome();
            if (outcome instanceof ProbeOutcome.Answered a) {
                o.put("responseTimeMs", round(millis(a.responseTime())));
            } else {
                o.putNull("responseTimeMs");
            }
            s.probe().connectTime().ifPresentOrElse(c -> o.put("connectMs", round(millis(c))),
                    () -> o.putNull("connectMs"));
            if (outcome instanceof ProbeOutcome.Answered a) {
                o.put("probe", a.method().code());
            } else {
                o.putNull("probe");
            }
            s.probe().handshake().ifPresentOrElse(h -> {
                o.put("protocolVersion", h.protocolVersion());
                o.put("era", h.era());
                ObjectNode info = o.putObject("serverInfo");
                info.put("name", h.serverInfo().name());
                info.put("version", h.serverInfo().version());
            }, () -> {
                o.putNull("protocolVersion");
                o.putNull("era");
                o.putNull("serverInfo");
            });
            if (outcome instanceof ProbeOutcome.Answered a && a.tools().isPresent()) {
                o.put("toolCount", a.tools().get().count());
                o.put("toolsHash", a.tools().get().hash());
            } else {
                o.putNull("toolCount");
                o.putNull("toolsHash");
            }
            if (outcome instanceof ProbeOutcome.Failed f) {
                ObjectNode failure = o.putObject("failure");
                failure.put("type", f.type().code());
                failure.put("message", f.message());
                failure.put("elapsedMs", round(millis(f.elapsed())));
            } else {
                o.putNull("failure");
            }
        }
        report.storageProblem().ifPresent(p -> root.put("storageProblem", p));
        return CliJson.MAPPER.writeValueAsString(root);
    }

    static String table(HealthReport report, String database) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVER", "TYPE", "TRANSPORT", "STATUS", "PROBE", "RESPONSE", "CONNECT", "TOOLS",
            "DETAIL"});
        for (ServerHealth s : report.servers()) {
            ProbeOutcome outcome = s.probe().outcome();
            String probe = "-";
            String response = "-";
            String tools = "-";
            String detail;
            if (outcome instanceof ProbeOutcome.Answered a) {
                probe = a.method().code();
                response = ms(a.responseTime());
                tools = a.tools().map(t -> Integer.toString(t.count())).orElse("-");
                detail = s.probe().handshake().map(h -> (h.serverInfo().name() + " " + h.serverInfo().version()).trim()
                        + " (protocol " + h.protocolVersion() + ", " + h.era() + ")").orElse("");
            } else {
                ProbeOutcome.Failed f = (ProbeOutcome.Failed) outcome;
                detail = f.type().code() + ": " + f.message();
            }
            String connect = s.probe().connectTime().map(ReportView::ms).orElse("-");
            // names come from the config, the detail from the server: neither may drive the terminal
            rows.add(new String[] {Printable.escape(s.server().id().value()), s.server().type().value(),
                s.server().transport().code(), s.status().code(), probe, response, connect, tools,
                Printable.escape(detail)});
        }
        StringBuilder out = new StringBuilder();
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], width[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n').append("overall: ").append(report.overall().code()).append(" (").append(counts(report))
                .append(")");
        if (report.storageProblem().isEmpty()) {
            out.append(", recorded in ").append(database);
        }
        return out.append('\n').toString();
    }

    private static String counts(HealthReport report) {
        Map<HealthStatus, Long> byStatus = new EnumMap<>(HealthStatus.class);
        report.servers().forEach(s -> byStatus.merge(s.status(), 1L, Long::sum));
        if (byStatus.isEmpty()) {
            return "no servers";
        }
        return byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().code())
                .collect(Collectors.joining(", "));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    private static String ms(Duration d) {
        double m = millis(d);
        return m < 10 ? String.format(Locale.ROOT, "%.1f ms", m) : String.format(Locale.ROOT, "%.0f ms", m);
    }
}
