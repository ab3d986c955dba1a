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

        /**
         * A line longer than the bound: its first bytes (at most {@link #START}: enough to show, and never the whole
         * bound made into a string only to be dropped), and how many it had in all.
         */
        void tooLong(String start, long bytes);
    }

    /** How much of an over-long line is handed on. */
    static final int START = 1024;
    /**
     * A line buffer grown past this is let go once its line is handed on, so that one long message does not keep a
     * buffer of up to the bound for as long as the server runs.
     */
    static final int KEEP_BUFFER = 64 << 10;

    private final InputStream in;
    private final int max;

    BoundedLines(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** Reads to the end of the stream. @throws IOException as the stream does */
    void readAll(Sink sink) throws IOException {
        Buffer line = new Buffer();
        byte[] buf = new byte[8192];
        long length = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    length = keep(line, buf, start, i - start, length);
                    emit(sink, line, length);
                    line = line.size() > KEEP_BUFFER ? new Buffer() : line.emptied();
                    length = 0;
                    start = i + 1;
                }
            }
            length = keep(line, buf, start, n - start, length);
            if (length > max && line.size() > START) {
                line = line.cutTo(START); // over the bound: only its start is ever shown, the rest is only counted
            }
        }
        if (length > 0) {
            emit(sink, line, length);
        }
    }

    /** Keeps what fits under the bound; returns the line's length so far, kept or not. */
    private long keep(Buffer line, byte[] buf, int from, int count, long length) {
        long room = max - length;
        if (room > 0) {
            line.write(buf, from, (int) Math.min(room, count));
        }
        return length + count;
    }

    private void emit(Sink sink, Buffer line, long length) {
        if (length > max) {
            sink.tooLong(line.start(START), length);
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        sink.line(text);
    }

    /** A line's bytes, whose start can be read or kept without copying the rest. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(8192);
        }

        String start(int bytes) {
            return new String(buf, 0, Math.min(count, bytes), StandardCharsets.UTF_8);
        }

        /** A new buffer with only the first {@code bytes} of this one: the large one can go. */
        Buffer cutTo(int bytes) {
            Buffer cut = new Buffer();
            cut.write(buf, 0, Math.min(count, bytes));
            return cut;
        }

        Buffer emptied() {
            reset();
            return this;
        }
    }
}
