package dev.mcphealth.infrastructure.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

/** JSON lines to a stream the caller owns (the CLI's stdout). */
class JsonLinesEventSinkTest {

    @Test
    void oneFlushedLinePerEvent() {
        StringWriter out = new StringWriter();
        JsonLinesEventSink sink = JsonLinesEventSink.to(out, "stdout");

        assertInstanceOf(Delivery.Delivered.class, sink.deliver(SampleEvents.firstStatus()));
        assertInstanceOf(Delivery.Delivered.class, sink.deliver(SampleEvents.drift()));

        assertEquals(EventJson.line(SampleEvents.firstStatus()) + "\n" + EventJson.line(SampleEvents.drift()) + "\n",
                out.toString());
        assertEquals("stdout", sink.name());
    }

    @Test
    void aLineIsFlushedAtOnce() {
        FlushCounting out = new FlushCounting();
        JsonLinesEventSink sink = JsonLinesEventSink.to(out, "stdout");

        sink.deliver(SampleEvents.prediction());
        sink.deliver(SampleEvents.prediction());

        assertEquals(2, out.flushes);
    }

    @Test
    void aPrintWritersSwallowedErrorIsRetryable() {
        PrintWriter broken = new PrintWriter(new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void flush() throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void close() {
            }
        });
        JsonLinesEventSink sink = JsonLinesEventSink.to(broken, "stdout");

        assertInstanceOf(Delivery.Retryable.class, sink.deliver(SampleEvents.alertRaised()));
    }

    @Test
    void aWriterErrorIsRetryable() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        Delivery d = JsonLinesEventSink.to(broken, "out").deliver(SampleEvents.alertRaised());

        assertEquals("write failed: No space left on device", assertInstanceOf(Delivery.Retryable.class, d).reason(),
                "never the exception's class");
    }

    @Test
    void theCallersStreamIsFlushedButNotClosed() {
        FlushCounting out = new FlushCounting();
        JsonLinesEventSink.to(out, "stdout").close();

        assertEquals(1, out.flushes);
        assertFalse(out.closed);
    }

    @Test
    void aStreamSinkNeedsAName() {
        assertThrows(IllegalArgumentException.class, () -> JsonLinesEventSink.to(new StringWriter(), " "));
    }

    private static final class FlushCounting extends StringWriter {
        int flushes;
        boolean closed;

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
