package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

/** The help the build stored is the one picocli prints, with colours and without; only a lone --help or -h uses it. */
class HelpTextTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = HelpText.class.getResourceAsStream(name)) {
            assertTrue(in != null, name + " made by the build (process-classes)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theStoredTextsArePicoclisOwn() throws IOException {
        assertEquals(HelpText.printed(Ansi.OFF), resource(HelpText.PLAIN));
        assertEquals(HelpText.printed(Ansi.ON), resource(HelpText.COLOURED));
        assertTrue(resource(HelpText.PLAIN).contains("  check "), resource(HelpText.PLAIN));
        assertNotEquals(resource(HelpText.PLAIN), resource(HelpText.COLOURED), "the coloured one has the styles");
        assertFalse(resource(HelpText.PLAIN).contains("\u001b["), "no escape sequence without colours");
    }

    @Test
    void theTextPrintedIsTheOnePicocliWouldChooseHere() throws IOException {
        // the build's test JVM has no console: picocli's AUTO says no colours (as for `mcp-health --help | less`),
        // unless the environment forces them (CLICOLOR_FORCE)
        assertEquals(resource(Ansi.AUTO.enabled() ? HelpText.COLOURED : HelpText.PLAIN),
                HelpText.stored().orElseThrow());
    }

    @Test
    void theVersionIsPrintedAsPicocliPrintsIt() {
        java.io.StringWriter out = new java.io.StringWriter();
        assertEquals(0, Main.commandLine((stop, finished) -> () -> { }, new String[] {"--version"})
                .setOut(new java.io.PrintWriter(out, true)).execute("--version"));
        assertEquals(out.toString(), HelpText.answer(new String[] {"--version"}).orElseThrow());
        assertEquals(out.toString(), HelpText.answer(new String[] {"-V"}).orElseThrow());
        assertTrue(out.toString().startsWith("mcp-health "), out.toString());
        assertEquals(java.util.Optional.empty(), HelpText.answer(new String[] {"check", "--version"}));
        assertEquals(java.util.Optional.empty(), HelpText.answer(new String[] {"--version", "x"}));
    }

    @Test
    void onlyALoneHelpFlagIsAnsweredFromTheText() {
        assertTrue(HelpText.asked(new String[] {"--help"}));
        assertTrue(HelpText.asked(new String[] {"-h"}));
        assertFalse(HelpText.asked(new String[] {}));
        assertFalse(HelpText.asked(new String[] {"check", "--help"}));
        assertFalse(HelpText.asked(new String[] {"--help", "--version"}));
        assertFalse(HelpText.asked(new String[] {"--version"}));
    }
}
