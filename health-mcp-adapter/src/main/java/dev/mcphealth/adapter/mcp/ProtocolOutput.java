package dev.mcphealth.adapter.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Standard output as the stdio transport writes it: whole lines only, each passed through {@code scrub} (see
 * {@link ErrorScrubber}; a line it turns into null is not written: the answer to a request its client cancelled) and
 * written at once under one lock, so that the answers the gate writes itself
 * ({@link #writeLine}) never land inside a line of the SDK's. A line is held until its newline arrives: a flush in
 * the middle of one writes nothing yet.
 */
final class ProtocolOutput extends OutputStream {
    private final OutputStream out;
    private final UnaryOperator<String> scrub;
    /** Kept between lines; one past {@link #KEEP} (a large result) is let go once written, not held for good. */
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private static final int KEEP = 1 << 16;

    ProtocolOutput(OutputStream out, UnaryOperator<String> scrub) {
        this.out = out;
        this.scrub = scrub;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n') {
            emit();
        } else {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                pending.write(b, start, i - start);
                emit();
                start = i + 1;
            }
        }
        pending.write(b, start, off + len - start);
    }

    /** Writes one whole message line of ours (no newline in it). */
    synchronized void writeLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void emit() throws IOException {
        String line = pending.toString(StandardCharsets.UTF_8);
        if (pending.size() > KEEP) {
            pending = new ByteArrayOutputStream();
        } else {
            pending.reset();
        }
        String scrubbed = scrub.apply(line);
        if (scrubbed == null) {
            return;
        }
        // no copy of the line with its newline: a result may be megabytes, and each copy is held at once
        out.write(scrubbed.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
    }

    @Override
    public void flush() {
        // lines are flushed as they complete
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
