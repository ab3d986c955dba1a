package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void escapeSequencesAndBidiOverridesAreEscaped() {
        assertEquals("ok\\u001b[31mred\\u202ereversed", Printable.escape("ok\u001b[31mred\u202ereversed"));
    }

    @Test
    void everyC0AndC1ControlCharacterAndDelIsUnsafe() {
        for (int c = 0; c < 0x20; c++) {
            assertTrue(Printable.isUnsafe(c), Integer.toHexString(c));
        }
        for (int c = 0x7F; c <= 0x9F; c++) {
            assertTrue(Printable.isUnsafe(c), Integer.toHexString(c));
        }
        for (int c : new int[] {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
            0x2068, 0x2069, 0x2028, 0x2029}) {
            assertTrue(Printable.isUnsafe(c), Integer.toHexString(c));
        }
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "files (prod) – café, 日本語, emoji 😀, zero-width joiner 👩\u200D💻, tab-free";
        assertEquals(text, Printable.escape(text));
        assertEquals(-1, Printable.firstUnsafe(text));
        for (int c = 0x20; c < 0x7F; c++) {
            assertFalse(Printable.isUnsafe(c), Integer.toHexString(c));
        }
    }

    @Test
    void escapedTextIsOneLine() {
        assertEquals("a\\u000ab\\u000dc\\u0009d\\u2028e", Printable.escape("a\nb\rc\td\u2028e"));
    }

    @Test
    void escapeKeepingLinesKeepsNewlinesAndTabsOnly() {
        assertEquals("line 1\n\tline 2\\u000d\\u001b[2J", Printable.escapeKeepingLines("line 1\n\tline 2\r\u001b[2J"));
    }

    @Test
    void firstUnsafeGivesTheIndex() {
        assertEquals(3, Printable.firstUnsafe("abc\u202edef"));
        assertEquals("U+202E", Printable.codePoint(0x202E));
        assertEquals("U+001B", Printable.codePoint(0x1B));
    }

    @Test
    void nullStaysNull() {
        assertNull(Printable.escape(null));
    }

    @Test
    void validationMessagesQuoteValuesEscaped() {
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerType.of("t\u001b[31m\u202e")).getMessage();
        assertTrue(message.endsWith("got \"t\\u001b[31m\\u202e\""), message);
    }

    @Test
    void validationMessagesQuoteAHugeValueCutWithItsLength() {
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerType.of("x".repeat(3_000_000))).getMessage();
        assertTrue(message.length() < 250 && message.endsWith("got \"" + "x".repeat(Printable.QUOTE_MAX)
                + "…\" (3000000 characters)"), () -> message.length() + ": " + message.substring(0, 250));
    }

    @org.junit.jupiter.api.Test
    void codeIsFoundInJvmTextAndHostileTextCostsLinearTimeWithoutRecursion() {
        org.junit.jupiter.api.Assertions.assertEquals(16, Printable.revealsCode("Cannot read it: java.lang.Null"));
        org.junit.jupiter.api.Assertions.assertTrue(Printable.revealsCode("Error processing message: Cannot invoke "
                + "\"io.modelcontextprotocol.spec.McpSchema$InitializeRequest.capabilities()\"") >= 0);
        org.junit.jupiter.api.Assertions.assertEquals(-1, Printable.revealsCode("the server answered with a TypeError: "
                + "fetch failed (see docs/monitoring.md)"), "a server's own error names pass");
        // a client may name a tool "a.a.a.a…": the SDK quotes it back in its error, which is checked
        String hostile = "Tool not found: " + "a.".repeat(200_000) + "a";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> org.junit.jupiter.api.Assertions.assertEquals(-1, Printable.revealsCode(hostile)));
    }
}
