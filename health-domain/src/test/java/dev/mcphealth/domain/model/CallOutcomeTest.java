package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link CallOutcome} and the values it carries, {@link ToolReply} and {@link ToolSpec}. */
class CallOutcomeTest {
    private static final ToolReply REPLY = new ToolReply(false, List.of("hello"), "{\"content\":[]}");
    private static final ToolSpec ECHO = new ToolSpec("echo", "", "{\"type\":\"object\"}");

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void everyOutcomeTakesZeroOrMoreTime() {
        assertDoesNotThrow(() -> new CallOutcome.Replied(REPLY, Duration.ZERO));
        assertEquals("elapsed must be zero or more, got PT-0.001S",
                refused(() -> new CallOutcome.Replied(REPLY, Duration.ofMillis(-1))));
        assertEquals("elapsed must be zero or more, got null", refused(() -> new CallOutcome.Listed(List.of(), null)));
        refused(() -> new CallOutcome.Failed(FailureType.TIMEOUT, "no answer", true, Duration.ofNanos(-1)));
    }

    @Test
    void aReplyAndAFailureNeedTheirContents() {
        assertThrows(NullPointerException.class, () -> new CallOutcome.Replied(null, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new CallOutcome.Failed(null, "x", false, Duration.ZERO));
        assertEquals("message must not be blank",
                refused(() -> new CallOutcome.Failed(FailureType.CONNECTION_ERROR, " ", false, Duration.ZERO)));
        CallOutcome.Failed f = new CallOutcome.Failed(FailureType.CONNECTION_ERROR, "refused", false, Duration.ZERO);
        assertEquals(false, f.delivered());
    }

    @Test
    void aListingIsACopy() {
        List<ToolSpec> tools = new ArrayList<>(List.of(ECHO));
        CallOutcome.Listed listed = new CallOutcome.Listed(tools, Duration.ofMillis(5));
        tools.clear();
        assertEquals(List.of(ECHO), listed.tools());
        assertThrows(UnsupportedOperationException.class, () -> listed.tools().add(ECHO));
        assertThrows(NullPointerException.class, () -> new CallOutcome.Listed(null, Duration.ZERO));
        List<ToolSpec> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> new CallOutcome.Listed(withNull, Duration.ZERO));
    }

    @Test
    void aToolReplyCopiesItsTextsAndNeedsItsJson() {
        List<String> texts = new ArrayList<>(List.of("a", "b"));
        ToolReply r = new ToolReply(true, texts, "{}");
        texts.add("c");
        assertEquals(List.of("a", "b"), r.texts());
        assertEquals(true, r.error());
        assertDoesNotThrow(() -> new ToolReply(false, List.of(), "{}"), "a reply may have no text content");
        assertEquals("json must not be blank", refused(() -> new ToolReply(false, List.of(), "")));
        assertThrows(NullPointerException.class, () -> new ToolReply(false, null, "{}"));
    }

    @Test
    void aToolSpecNeedsANameAndASchemaButMayHaveAnEmptyDescription() {
        assertEquals("", ECHO.description());
        assertEquals("name must not be blank", refused(() -> new ToolSpec(" ", "d", "{}")));
        assertEquals("inputSchemaJson must not be blank", refused(() -> new ToolSpec("echo", "d", null)));
        assertThrows(NullPointerException.class, () -> new ToolSpec("echo", null, "{}"));
    }
}
