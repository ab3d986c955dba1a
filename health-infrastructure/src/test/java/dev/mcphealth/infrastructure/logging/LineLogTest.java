package dev.mcphealth.infrastructure.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

class LineLogTest {
    final AtomicLong nanos = new AtomicLong();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final LineLog log = new LineLog(nanos::get, () -> out, 5, Duration.ofSeconds(60));

    List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aFloodOfOneMessageIsFiveLinesAndOneSummaryPerMinute() {
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(Duration.ofMillis(50).toNanos()); // 1,000 lines in 50 s
            log.log(Level.WARN, "x", "{} wrote a line that is not JSON-RPC ({} characters)", new Object[] {"srv", i},
                    null);
        }
        assertEquals(5, lines().size(), "the burst, then counted only");
        nanos.addAndGet(Duration.ofMillis(9_999).toNanos());
        assertEquals(0, log.flushSummaries(), "the minute from the first line is not over yet");
        nanos.addAndGet(Duration.ofMillis(51).toNanos());
        assertEquals(1, log.flushSummaries());
        assertEquals(6, lines().size());
        assertEquals("mcp-health: warn: srv wrote a line that is not JSON-RPC (999 characters) (repeated 995 more times"
                + " in 60 s)", lines().get(5));
        assertFalse(log.pending());
    }

    @Test
    void differentSubjectsAndPatternsAreLimitedApart() {
        for (int i = 0; i < 10; i++) {
            log.log(Level.WARN, "x", "{} failed", new Object[] {"a"}, null);
            log.log(Level.WARN, "x", "{} failed", new Object[] {"b"}, null);
            log.log(Level.WARN, "x", "other {}", new Object[] {"a"}, null);
        }
        assertEquals(15, lines().size());
        log.flushAll();
        assertEquals(18, lines().size(), "each key's repeats are summed up at exit");
        // a flood still logging while the JVM exits (a child process writing after the summaries): counted, not a
        // new burst (a clean-clone LogFloodIT saw 5 more lines after the exit's summary)
        for (int i = 0; i < 10; i++) {
            log.log(Level.WARN, "x", "{} failed", new Object[] {"a"}, null);
        }
        assertEquals(18, lines().size(), "no new burst after the exit's summaries");
    }

    @Test
    void noClassNameStackTraceOrControlCharacterReachesALine() {
        log.log(Level.ERROR, "dev.mcphealth.adapter.mcp.ToolBinding", "tool {} failed: {}", new Object[] {"t",
                "Cannot invoke \"io.modelcontextprotocol.spec.McpSchema$InitializeRequest.capabilities()\""},
                new IllegalStateException("boom\n\tat dev.mcphealth.X.y(X.java:1)"));
        log.log(Level.WARN, "x", "name {}", new Object[] {"\u001b[31mred\u202e"}, null);
        List<String> lines = lines();
        assertEquals("mcp-health: error: tool t failed: [internal details withheld] (an internal error)", lines.get(0));
        assertEquals("mcp-health: warn: name \\u001b[31mred\\u202e", lines.get(1));
        assertEquals(2, lines.size(), "one line each, never a stack trace");
    }

    @Test
    void infoAndDebugLinesAreAskedForAndAllWritten() {
        for (int i = 0; i < 20; i++) {
            log.log(Level.INFO, "x", "probe {} answered", new Object[] {"srv"}, null);
        }
        assertEquals(20, lines().size());
    }

    @Test
    void anExceptionsMessageIsKeptWhenItShowsNoCode() {
        log.log(Level.WARN, "x", "write failed", new Object[0], new java.io.IOException("disk full"));
        assertEquals("mcp-health: warn: write failed (disk full)", lines().get(0));
    }

    @Test
    void loggersTakeTheLevelOfTheirLongestPrefix() {
        LineLoggerFactory f = new LineLoggerFactory(log, "error", Map.of("dev.mcphealth", "warn",
                "dev.mcphealth.infrastructure.events", "debug", "reactor", "off"));
        Logger ours = f.getLogger("dev.mcphealth.infrastructure.probe.McpProbe");
        Logger events = f.getLogger("dev.mcphealth.infrastructure.events.EventFanout");
        Logger sdk = f.getLogger("io.modelcontextprotocol.client.McpAsyncClient");
        Logger reactor = f.getLogger("reactor.core.publisher.Operators");
        assertTrue(ours.isWarnEnabled() && !ours.isInfoEnabled());
        assertTrue(events.isDebugEnabled());
        assertTrue(sdk.isErrorEnabled() && !sdk.isWarnEnabled());
        assertFalse(reactor.isErrorEnabled());
        ours.warn("seen {}", 1);
        ours.info("not seen");
        reactor.error("not seen either");
        assertEquals(List.of("mcp-health: warn: seen 1"), lines());
    }
}
