package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.MonitorEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes each event as one line of {@link EventJson}, flushed at once: to a stream the caller owns (the CLI's standard
 * output for {@code watch --json}) or appended to a file this sink opens (its parent directories are created).
 * Calls come from one thread at a time ({@link EventFanout}); a failed write is worth retrying, and a file whose write
 * failed is opened again for the next attempt.
 */
public final class JsonLinesEventSink implements EventSink {
    private final String name;
    private final Path file;
    private final boolean ownsWriter;
    private Writer writer;

    private JsonLinesEventSink(String name, Path file, Writer writer, boolean ownsWriter) {
        this.name = name;
        this.file = file;
        this.writer = writer;
        this.ownsWriter = ownsWriter;
    }

    /**
     * Lines to {@code out}, which stays open when the sink is closed (the caller owns it). A {@link PrintWriter}, which
     * swallows I/O errors, is asked for them with {@code checkError()} after each line.
     *
     * @param name how logs and counts name it, e.g. {@code stdout}
     */
    public static JsonLinesEventSink to(Writer out, String name) {
        Objects.requireNonNull(out, "out");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a sink needs a name");
        }
        return new JsonLinesEventSink(name, null, out, false);
    }

    /**
     * Lines appended to {@code file}, created with its parent directories if missing.
     *
     * @throws EventSinkException naming the file when it cannot be opened for appending
     */
    public static JsonLinesEventSink appendingTo(Path file) {
        Path path = file.toAbsolutePath().normalize();
        return new JsonLinesEventSink("file " + path, path, open(path), true);
    }

    private static Writer open(Path path) {
        try {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.isDirectory(path)) {
                throw new EventSinkException("cannot append events to " + path + ": it is a directory");
            }
            return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new EventSinkException("cannot append events to " + path + ": " + e.getFile()
                    + " exists and is not a directory");
        } catch (AccessDeniedException e) {
            throw new EventSinkException("cannot append events to " + path + ": permission denied ("
                    + e.getFile() + ")");
        } catch (IOException e) {
            throw new EventSinkException("cannot append events to " + path + ": " + Faults.describeIo(e));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery deliver(MonitorEvent event) {
        String line = EventJson.line(event) + "\n";
        try {
            if (writer == null) {
                writer = open(file);
            }
            writer.write(line);
            writer.flush();
            if (writer instanceof PrintWriter && ((PrintWriter) writer).checkError()) {
                return Delivery.retryable("the stream reports a write error");
            }
            return Delivery.delivered();
        } catch (IOException e) {
            if (ownsWriter) {
                closeQuietly();
            }
            return Delivery.retryable("write failed: " + Faults.describeIo(e));
        } catch (EventSinkException e) {
            return Delivery.retryable(e.getMessage());
        }
    }

    @Override
    public void close() {
        if (ownsWriter) {
            closeQuietly();
        } else if (writer != null) {
            try {
                writer.flush();
            } catch (IOException ignored) {
                // the caller's stream; nothing left to save
            }
        }
    }

    private void closeQuietly() {
        Writer w = writer;
        writer = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // reopened on the next attempt
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
