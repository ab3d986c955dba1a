package dev.mcphealth.adapter.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standard input as the stdio transport reads it: only complete lines that pass the {@link JsonRpcGate} reach the
 * transport (the SDK's reader stops for good at the first line it cannot parse, and its server ends at the first
 * line that is JSON but not a JSON-RPC message); a refused line is answered with a JSON-RPC error where it asked for
 * an answer ({@code answer}), else only skipped, and the server goes on. Each line handed on is shown to {@code lines}
 * (to see {@code logging/setLevel}), and {@code atEnd} runs once when input ends or fails — the client is gone and the
 * server stops. Lines longer than {@link #MAX_LINE} bytes are dropped (answered as too long), with a note on stderr.
 */
final class StdinFilter extends InputStream {
    static final int MAX_LINE = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(StdinFilter.class);

    private final InputStream in;
    private final JsonRpcGate gate;
    private final Consumer<String> answer;
    private final Consumer<String> lines;
    private final Runnable atEnd;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;
    /** What answers the revision's requests, or null. */
    private final StatelessServer stateless;
    /** The connection's era, decided by its first request: null until then. */
    private Boolean revision;

    /** What a line that passed the gate becomes before it is handed on ({@link Cancellations#passed}). */
    private final java.util.function.BiFunction<JsonRpcGate.Pass, String, String> passed;

    StdinFilter(InputStream in, JsonRpcGate gate, Consumer<String> answer, Consumer<String> lines, Runnable atEnd) {
        this(in, gate, answer, lines, atEnd, (pass, line) -> line);
    }

    StdinFilter(InputStream in, JsonRpcGate gate, Consumer<String> answer, Consumer<String> lines, Runnable atEnd,
                java.util.function.BiFunction<JsonRpcGate.Pass, String, String> passed) {
        this(in, gate, answer, lines, atEnd, passed, null);
    }

    /**
     * @param stateless what answers the 2026-07-28 revision's requests (null: only the handshake is served): when the
     *                  connection's first request is one of the revision, every request after it is answered there
     *                  and nothing reaches the SDK (the revision's notifications and responses are dropped)
     */
    StdinFilter(InputStream in, JsonRpcGate gate, Consumer<String> answer, Consumer<String> lines, Runnable atEnd,
                java.util.function.BiFunction<JsonRpcGate.Pass, String, String> passed, StatelessServer stateless) {
        this.stateless = stateless;
        this.passed = passed;
        this.in = in;
        this.gate = gate;
        this.answer = answer;
        this.lines = lines;
        this.atEnd = atEnd;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, buf, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }

    /** Makes bytes of a good line available; false at the end of input. */
    private boolean fill() throws IOException {
        while (pos >= current.length) {
            String line = nextLine();
            if (line == null) {
                end();
                return false;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line == TOO_LONG) {
                answer.accept(gate.errorLine(new JsonRpcGate.Refuse(null, JsonRpcGate.INVALID_REQUEST,
                        "invalid request: a message longer than " + MAX_LINE + " bytes", true, false)));
                continue;
            }
            JsonRpcGate.Verdict verdict = gate.check(line);
            if (verdict instanceof JsonRpcGate.Refuse refused) {
                LOG.warn("refused a message on stdin: {}", refused.message());
                if (refused.answerable()) {
                    answer.accept(gate.errorLine(refused));
                }
                continue;
            }
            JsonRpcGate.Pass pass = (JsonRpcGate.Pass) verdict;
            if (stateless != null && !Boolean.FALSE.equals(revision)) {
                Map<String, Object> message = pass.request() ? stateless.parse(line) : null;
                if (revision == null && pass.request()) {
                    revision = StatelessServer.enveloped(message);
                }
                if (Boolean.TRUE.equals(revision)) {
                    if (message != null) {
                        stateless.submit(message, answer);
                    }
                    continue;
                }
            }
            line = passed.apply(pass, line);
            lines.accept(line);
            current = (line + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
        }
        return true;
    }

    /** Marks a line that was too long (compared by identity). */
    private static final String TOO_LONG = new String("(too long)");

    /** The next line without its end, or null at the end of input; an over-long line is {@link #TOO_LONG}. */
    private String nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                LOG.warn("stdin failed: {}", e.getMessage());
                return null;
            }
            if (b < 0) {
                return line.size() > 0 && !tooLong ? line.toString(StandardCharsets.UTF_8) : null;
            }
            if (b == '\n') {
                if (tooLong) {
                    LOG.warn("ignored a line on stdin longer than {} bytes", MAX_LINE);
                    return TOO_LONG;
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (!tooLong) {
                if (line.size() >= MAX_LINE) {
                    tooLong = true;
                    line.reset();
                } else {
                    line.write(b);
                }
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
