package dev.mcphealth.adapter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.junit.jupiter.api.Test;

/** What a command that fails unexpectedly (a bug) prints: one line, without the exception's class or stack. */
class ExitCodesTest {

    @Command(name = "buggy")
    static final class Buggy implements Callable<Integer> {
        final RuntimeException thrown;

        Buggy(RuntimeException thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() {
            throw thrown;
        }
    }

    private static String run(RuntimeException thrown) {
        StringWriter err = new StringWriter();
        CommandLine cli = ExitCodes.install(new CommandLine(new Buggy(thrown)));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(ExitCodes.UNKNOWN, cli.execute());
        return err.toString();
    }

    @Test
    void aBugIsOneLineWithItsMessageAndNoClassOrStack() {
        assertEquals("mcp-health: internal error (a bug in MCP Health, please report it): the ring is full\n",
                run(new IllegalStateException("the ring is full")));
    }

    @Test
    void aMessageThatShowsTheCodeOrControlCharactersIsNotPrintedAsItIs() {
        assertEquals("mcp-health: internal error (a bug in MCP Health, please report it): an internal error\n",
                run(new NullPointerException()));
        assertEquals("mcp-health: internal error (a bug in MCP Health, please report it): an internal error\n",
                run(new IllegalStateException("Cannot invoke \"java.util.Map.get(Object)\" because \"m\" is null")));
        String escaped = run(new IllegalStateException("line one\nline two\u001b[31m"));
        assertEquals(1, escaped.lines().count(), escaped);
    }
}
