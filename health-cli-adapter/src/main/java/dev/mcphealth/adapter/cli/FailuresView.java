package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.Printable;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Failure episodes as a table for people or a JSON array for programs. The details are the stored error text, which
 * was redacted of configured secrets before it was recorded; the table cuts them to {@value #DETAILS_WIDTH} characters
 * and to one line.
 */
final class FailuresView {
    static final int DETAILS_WIDTH = 60;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** The columns after the server's, whose width is its longest name's ({@link NameColumn}). */
    private static final String AFTER_NAME = "s %-16s %-19s %8s %-9s  %s%n";

    private FailuresView() {
    }

    static String table(List<Failure> failures, String since, int limit) {
        StringBuilder s = new StringBuilder();
        if (failures.isEmpty()) {
            return s.append("no failures recorded in the last ").append(since).append(" (or open then)")
                    .append(System.lineSeparator()).toString();
        }
        int w = NameColumn.width(failures.stream().map(f -> Printable.escape(f.serverInstance().value())));
        String row = "%-" + w + AFTER_NAME;
        s.append(String.format(Locale.ROOT, row, "SERVER", "TYPE", "STARTED (UTC)", "DURATION", "RECOVERY", "DETAILS"));
        for (Failure f : failures) {
            s.append(String.format(Locale.ROOT, row, NameColumn.fit(Printable.escape(f.serverInstance().value()), w),
                    f.type().code(),
                    STAMP.format(f.occurredAt()), f.resolutionTime().map(FailuresView::duration).orElse("open"),
                    f.recoveryAction().code(), cut(oneLine(f.errorDetails()), DETAILS_WIDTH)));
        }
        if (failures.size() == limit) {
            s.append("showing the newest ").append(limit).append("; --limit shows more")
                    .append(System.lineSeparator());
        }
        return s.toString();
    }

    static String json(List<Failure> failures) {
        ArrayNode root = CliJson.MAPPER.createArrayNode();
        for (Failure f : failures) {
            ObjectNode o = root.addObject();
            o.put("server", f.serverInstance().value());
            o.put("serverType", f.serverType().value());
            o.put("type", f.type().code());
            o.put("occurredAt", f.occurredAt().toString());
            o.put("resolved", f.resolved());
            if (f.resolutionTime().isPresent()) {
                o.put("resolutionSeconds", f.resolutionTime().get().toSeconds());
            } else {
                o.putNull("resolutionSeconds");
            }
            o.put("recoveryAction", f.recoveryAction().code());
            o.put("context", f.taskContext());
            o.put("details", f.errorDetails());
            o.put("orchestratorRecoveryTaskId", f.orchestratorRecoveryTaskId().orElse(null));
        }
        return CliJson.MAPPER.writeValueAsString(root);
    }

    private static String duration(Duration d) {
        return d.isZero() ? "<1s" : Durations.format(d);
    }

    /** One line, its control and bidirectional formatting characters escaped. */
    private static String oneLine(String s) {
        return Printable.escape(s.replaceAll("\\s+", " ").trim());
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1).stripTrailing() + "…";
    }
}
