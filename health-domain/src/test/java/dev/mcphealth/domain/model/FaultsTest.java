package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void anExceptionIsItsMessageUnlessItHasNoneOrShowsTheCode() {
        assertEquals("the ring is full", Faults.describe(new IllegalStateException("the ring is full")));
        assertEquals("an internal error", Faults.describe(new NullPointerException()));
        assertEquals("an internal error", Faults.describe(new IllegalStateException(
                "Cannot invoke \"java.util.Map.get(Object)\" because \"m\" is null")));
    }

    @Test
    void anIoFailureIsItsKindAndPathOrItsMessageNeverItsClass() {
        assertEquals("permission denied: /var/log/health.alerts",
                Faults.describeIo(new AccessDeniedException("/var/log/health.alerts")));
        assertEquals("no such file: /gone", Faults.describeIo(new NoSuchFileException("/gone")));
        assertEquals("Read-only file system: /mnt/ro/x",
                Faults.describeIo(new FileSystemException("/mnt/ro/x", null, "Read-only file system")));
        assertEquals("No space left on device", Faults.describeIo(new IOException("No space left on device")));
        assertEquals("already exists: /x", Faults.describeIo(new java.nio.file.FileAlreadyExistsException("/x")));
        assertEquals("an I/O error: /y", Faults.describeIo(new FileSystemException("/y")));
        assertEquals("an I/O error", Faults.describeIo(new ClosedByInterruptException()),
                "no message: an I/O error, not a bug");
    }
}
