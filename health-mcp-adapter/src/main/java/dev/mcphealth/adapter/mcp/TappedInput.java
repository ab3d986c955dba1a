package dev.mcphealth.adapter.mcp;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Standard input as the stdio transport reads it, with every complete line also shown to {@code lines} (to see
 * {@code logging/setLevel}) and {@code atEnd} run once when the client closes its end (the server then stops).
 * Lines longer than {@link #MAX_LINE} are passed on but not shown.
 */
final class TappedInput extends FilterInputStream {
    static final int MAX_LINE = 1 << 20;

    private final Consumer<String> lines;
    private final Runnable atEnd;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean tooLong;
    private boolean ended;

    TappedInput(InputStream in, Consumer<String> lines, Runnable atEnd) {
        super(in);
        this.lines = lines;
        this.atEnd = atEnd;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            end();
        } else {
            take((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
            end();
        }
        for (int i = 0; i < n; i++) {
            take(buf[off + i]);
        }
        return n;
    }

    private void take(byte b) {
        if (b == '\n') {
            if (!tooLong && line.size() > 0) {
                lines.accept(line.toString(StandardCharsets.UTF_8));
            }
            line.reset();
            tooLong = false;
        } else if (!tooLong) {
            if (line.size() >= MAX_LINE) {
                tooLong = true;
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private synchronized void end() {
        if (!ended) {
            ended = true;
            atEnd.run();
        }
    }
}
