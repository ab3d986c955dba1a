package dev.mcphealth.infrastructure.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The events of a server-sent event stream, fed as it arrives in chunks of any size: lines end with CR LF, LF or CR;
 * an event's {@code data} lines are joined with LF (one leading space after the colon is dropped, as the
 * specification says); a blank line dispatches the event's data to {@code sink}; comments and other fields are
 * skipped. Lines are decoded only once whole, so a character split between chunks is read right.
 */
final class SseLines {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean afterCr;

    SseLines(Consumer<String> sink) {
        this.sink = sink;
    }

    void feed(byte[] chunk) {
        for (byte b : chunk) {
            if (afterCr && b == '\n') {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    /** The stream ended: an event not ended by a blank line is dropped, as the specification says. */
    void end() {
        line.reset();
        data.setLength(0);
        hasData = false;
    }

    private void line(String text) {
        if (text.isEmpty()) {
            if (hasData) {
                sink.accept(data.toString());
            }
            data.setLength(0);
            hasData = false;
            return;
        }
        if (text.startsWith(":")) {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        if (!"data".equals(field)) {
            return;
        }
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(value);
        hasData = true;
    }
}
