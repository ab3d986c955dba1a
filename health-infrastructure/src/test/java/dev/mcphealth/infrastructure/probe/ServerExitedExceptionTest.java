package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ServerExitedExceptionTest {

    @Test
    void exitCodesAbove128AreSignals() {
        assertEquals(" (killed by signal 9)", ServerExitedException.describe(137));
        assertEquals(" (killed by signal 15)", ServerExitedException.describe(143));
        assertEquals(" (killed by signal 1)", ServerExitedException.describe(129));
    }

    @Test
    void otherExitCodesAreShownAsCodes() {
        assertEquals(" with code 0", ServerExitedException.describe(0));
        assertEquals(" with code 1", ServerExitedException.describe(1));
        assertEquals(" with code 128", ServerExitedException.describe(128));
        assertEquals(" with code 255", ServerExitedException.describe(255));
        assertEquals(" with code -1", ServerExitedException.describe(-1));
    }

    @Test
    void theMessageDescribesTheExitAndKeepsStderrApart() {
        ServerExitedException e = new ServerExitedException(137, settle -> "token=abc leaked");
        assertEquals("server process exited (killed by signal 9)", e.getMessage());
        assertEquals("token=abc leaked", e.lastStderr());
        assertNull(new ServerExitedException(2, settle -> null).lastStderr());
    }
}
