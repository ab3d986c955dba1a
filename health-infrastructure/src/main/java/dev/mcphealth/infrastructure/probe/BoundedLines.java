package dev.mcphealth.infrastructure.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-ended lines from a server's output with a bound on each, so that a server printing a 50 MB line, or
 * 600 MB without a newline, costs at most {@code max} bytes of memory: the rest of an over-long line is read and
 * thrown away, and the line is handed on cut, marked as such.
 */
final class BoundedLines {
    /** What a line turned out to be. */
    interface Sink {
        /** A whole line (without its end). */
        void line(String line);

        /** A line longer than the bound: its first {@code max} bytes, and how many it had in all. */
        void tooLong(String start, long bytes);
    }

    private final InputStream in;
    private final int max;

    BoundedLines(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** Reads to the end of the stream. @throws IOException as the stream does */
    void readAll(Sink sink) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buf = new byte[8192];
        long length = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    length += keep(line, buf, start, i - start);
                    emit(sink, line, length);
                    line.reset();
                    length = 0;
                    start = i + 1;
                }
            }
            length += keep(line, buf, start, n - start);
        }
        if (length > 0) {
            emit(sink, line, length);
        }
    }

    /** Keeps what fits under the bound; returns how many bytes the line grew by. */
    private int keep(ByteArrayOutputStream line, byte[] buf, int from, int count) {
        int room = max - line.size();
        if (room > 0) {
            line.write(buf, from, Math.min(room, count));
        }
        return count;
    }

    private void emit(Sink sink, ByteArrayOutputStream line, long length) {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (length > max) {
            sink.tooLong(text, length);
        } else {
            sink.line(text);
        }
    }
}
