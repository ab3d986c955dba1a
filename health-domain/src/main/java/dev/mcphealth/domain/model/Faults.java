package dev.mcphealth.domain.model;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;

/**
 * What a use case that works on many servers reports for one whose work threw (a bug, or an adapter closed under it),
 * so that one server's fault does not take the others' answers with it.
 */
public final class Faults {
    private Faults() {
    }

    /**
     * The exception in one line, for a client, a log or the database: its message, unless it has none or shows the
     * program's code (a class name, a JVM message: {@link Printable#revealsCode}); never its class.
     */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() || Printable.revealsCode(message) >= 0 ? "an internal error"
                : message;
    }

    /**
     * An I/O failure in words, for a client, a log or the database: its kind and the path it names (permission
     * denied, no such file, not a directory, the file system's reason), else its message as {@link #describe} gives
     * it, else "an I/O error"; never the exception's class.
     */
    public static String describeIo(IOException e) {
        String what = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : e instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                : e instanceof FileSystemException fs ? (fs.getReason() != null ? fs.getReason() : "an I/O error")
                : null;
        if (what == null) {
            String message = describe(e);
            return message.equals("an internal error") ? "an I/O error" : message;
        }
        String path = e instanceof FileSystemException fs ? fs.getFile() : null;
        return path == null ? what : what + ": " + path;
    }

    /** A probe that threw instead of returning a report, as a failed probe of type server_error that says so. */
    public static ProbeOutcome.Failed probeThrew(RuntimeException thrown, Duration elapsed) {
        return new ProbeOutcome.Failed(FailureType.SERVER_ERROR, "the probe failed inside MCP Health: "
                + describe(thrown), elapsed.isNegative() ? Duration.ZERO : elapsed);
    }
}
