package dev.mcphealth.adapter.mcp;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The transport's HTTP answer as the client gets it, with nothing of the server's insides in it: an error status
 * (set, or sent with {@code sendError}) gets one JSON-RPC error with a safe message instead of the serialized
 * exception the SDK writes ({@link ErrorScrubber#httpError}); a JSON answer and every {@code data:} line of an event
 * stream pass {@link ErrorScrubber#scrub}. Event streams are passed on line by line as they come, so streaming is kept;
 * a JSON document is held until it is flushed (or the request is done: {@link #finish}).
 */
final class ScrubbingResponse extends HttpServletResponseWrapper {
    private final ErrorScrubber scrubber;
    private final Object id;
    private PrintWriter writer;
    private ScrubbingWriter scrubbing;
    private String sessionId;

    /** {@code id}: the request's JSON-RPC id when the gate read one (for error answers), else null. */
    ScrubbingResponse(HttpServletResponse response, ErrorScrubber scrubber, Object id) {
        super(response);
        this.scrubber = scrubber;
        this.id = id;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        writeError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        writeError(status, null);
    }

    private void writeError(int status, String message) throws IOException {
        if (isCommitted()) {
            return;
        }
        resetBuffer();
        setStatus(status);
        setContentType("application/json");
        setCharacterEncoding("UTF-8");
        PrintWriter out = super.getWriter();
        out.write(scrubber.httpErrorSaying(status, message, id));
        out.flush();
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
        if (writer == null) {
            scrubbing = new ScrubbingWriter(super.getWriter());
            writer = new PrintWriter(scrubbing, false);
        }
        return writer;
    }

    @Override
    public void setContentLength(int length) {
        // the scrubbed body may differ in length: the container frames it
    }

    @Override
    public void setContentLengthLong(long length) {
        // as above
    }

    @Override
    public void setHeader(String name, String value) {
        remember(name, value);
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        remember(name, value);
        super.addHeader(name, value);
    }

    private void remember(String name, String value) {
        if (HttpGuard.SESSION_HEADER.equalsIgnoreCase(name)) {
            sessionId = value;
        }
    }

    /** The session id the transport gave this answer ({@code initialize}), or null. */
    String sessionId() {
        return sessionId;
    }

    /** Writes what is still held, once the request is done (not for an answer that goes on asynchronously). */
    synchronized void finish() {
        if (scrubbing != null) {
            try {
                scrubbing.flush();
            } catch (IOException clientGone) {
                // nothing is left to tell a client that left
            }
        }
    }

    /** How a body is passed on, chosen at its first write from the status and content type then. */
    private enum Mode { ERROR, EVENTS, DOCUMENT }

    private final class ScrubbingWriter extends Writer {
        private final PrintWriter out;
        private final StringBuilder held = new StringBuilder();
        private Mode mode;
        private boolean errorWritten;

        ScrubbingWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            synchronized (ScrubbingResponse.this) {
                if (mode == null) {
                    String type = getContentType();
                    mode = getStatus() >= 400 ? Mode.ERROR
                            : type != null && type.startsWith("text/event-stream") ? Mode.EVENTS : Mode.DOCUMENT;
                }
                if (mode == Mode.ERROR && errorWritten) {
                    return;
                }
                held.append(chars, off, len);
                if (mode == Mode.EVENTS) {
                    int end;
                    while ((end = held.indexOf("\n")) >= 0) {
                        String line = held.substring(0, end);
                        held.delete(0, end + 1);
                        out.write((line.startsWith("data:") ? "data: " + scrubber.scrub(line.substring(5).strip())
                                : line) + "\n");
                    }
                }
            }
        }

        /**
         * Writes what is whole, and fails when the client is gone: the container's writer only notes a broken
         * connection ({@code checkError}), and the SDK asks the writer it was given, this one, to learn that a client
         * left (its streams are then closed, and its session can expire).
         */
        @Override
        public void flush() throws IOException {
            synchronized (ScrubbingResponse.this) {
                if (mode == Mode.ERROR && !errorWritten) {
                    errorWritten = true;
                    setContentType("application/json");
                    out.write(scrubber.httpError(getStatus(), held.toString(), id));
                    held.setLength(0);
                } else if (mode == Mode.DOCUMENT && held.length() > 0) {
                    out.write(scrubber.scrub(held.toString()));
                    held.setLength(0);
                }
                if (out.checkError()) { // flushes, then says whether writing failed
                    throw new IOException("the client is gone");
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                flush();
            } finally {
                out.close();
            }
        }
    }
}
