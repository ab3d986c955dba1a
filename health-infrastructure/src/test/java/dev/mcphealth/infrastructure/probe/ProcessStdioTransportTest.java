package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Only the pure helpers: starting processes is for the integration tests. */
class ProcessStdioTransportTest {

    @Test
    void osReasonKeepsOnlyTheOperatingSystemsWords() {
        assertEquals("No such file or directory", ProcessStdioTransport.osReason(
                new IOException("Cannot run program \"x\": error=2, No such file or directory")));
        assertEquals("Permission denied", ProcessStdioTransport.osReason(
                new IOException("Cannot run program \"/etc/passwd\" (in directory \"/tmp\"): error=13,"
                        + " Permission denied")));
    }

    @Test
    void osReasonWithoutAnErrorNumberIsTheWholeMessage() {
        assertEquals("Stream closed", ProcessStdioTransport.osReason(new IOException("Stream closed")));
        assertEquals("error=2", ProcessStdioTransport.osReason(new IOException("Cannot run program: error=2")));
        assertEquals("null", ProcessStdioTransport.osReason(new IOException()));
    }
}
