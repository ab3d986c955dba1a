package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading real files: whatever {@code --config} names (a device, a pipe, a directory, a huge file), the loader reads at
 * most {@link ConfigLoader#MAX_BYTES} bytes and ends in one {@link ConfigException}, quickly.
 */
class ConfigFileIT {
    /** Far more than reading 4 MiB takes; the old loader read /dev/zero until the heap ran out. */
    private static final Duration QUICKLY = Duration.ofSeconds(10);
    private static final String VALID = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}";

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    private String error(Path file) {
        return assertTimeoutPreemptively(QUICKLY,
                () -> assertThrows(ConfigException.class, () -> loader.load(file)).getMessage());
    }

    @Test
    void devZeroIsRefusedAtTheLimit() {
        assertEquals("/dev/zero: larger than the limit of 4194304 bytes (4 MiB) for a configuration file",
                error(Path.of("/dev/zero")));
    }

    @Test
    void aFileOverTheLimitIsRefused() throws IOException {
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(5L * 1024 * 1024 * 1024); // 5 GiB, sparse: nothing is written
        }

        assertEquals(big + ": larger than the limit of 4194304 bytes (4 MiB) for a configuration file", error(big));
    }

    @Test
    void aFileOfExactlyTheLimitIsRead() throws IOException {
        Path file = dir.resolve("padded.json");
        byte[] json = VALID.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[ConfigLoader.MAX_BYTES];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(json, 0, padded, 0, json.length);
        Files.write(file, padded);

        assertEquals(1, loader.load(file).servers().size());

        Files.write(file, new byte[] {' '}, java.nio.file.StandardOpenOption.APPEND);
        assertTrue(error(file).endsWith(": larger than the limit of 4194304 bytes (4 MiB) for a configuration file"));
    }

    @Test
    void aPipeThatNeverEndsIsRefusedAtTheLimit() throws Exception {
        Path fifo = dir.resolve("endless.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) '[');
            try (OutputStream out = Files.newOutputStream(fifo)) {
                while (true) {
                    out.write(chunk); // ends when the reader closes its end: "Broken pipe"
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the reader is gone
            }
        });

        assertEquals(fifo + ": larger than the limit of 4194304 bytes (4 MiB) for a configuration file",
                error(fifo));
        writer.get(10, TimeUnit.SECONDS);
        assertTrue(written.get() >= ConfigLoader.MAX_BYTES, "the writer got as far as " + written.get());
    }

    @Test
    void aDirectoryIsOneLine() {
        assertEquals(dir + ": cannot read the configuration: it is a directory, not a file", error(dir));
    }

    @Test
    void aPathThroughAFileIsOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), VALID);

        assertEquals(file.resolve("mcp.json") + ": cannot read the configuration: Not a directory",
                error(file.resolve("mcp.json")));
    }

    @Test
    void aMissingFileIsOneLine() {
        assertEquals(dir.resolve("nope.json") + ": cannot read the configuration: no such file",
                error(dir.resolve("nope.json")));
    }

    @Test
    void aFileWithAByteOrderMarkIsRead() throws IOException {
        Path file = dir.resolve("bom.json");
        Files.write(file, ("\uFEFF" + VALID).getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of("x"), loader.load(file).servers().stream().map(s -> s.id().value()).toList());
    }

    @Test
    void invalidUtf8NamesWhereItIs() throws IOException {
        Path file = dir.resolve("latin1.json");
        Files.write(file, "{\"mcpServers\": {\n  \"café\": {\"command\": \"a\"}}}"
                .getBytes(StandardCharsets.ISO_8859_1));

        assertEquals(file + ": line 2, column 7: not valid UTF-8 (byte offset 23); save it as UTF-8", error(file));
    }
}
