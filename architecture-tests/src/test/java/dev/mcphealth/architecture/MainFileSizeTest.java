package dev.mcphealth.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No main source file of the domain or the application is longer than {@value #MAX_LINES} lines: a class that long
 * holds several reasons to change. ArchUnit sees classes, not lines, so this reads the source files. A file over the
 * limit would be listed with why; a new one fails, and so does a listed one that got short enough (take it off).
 * None is listed today.
 */
class MainFileSizeTest {
    static final int MAX_LINES = 300;

    /** Over the limit today, each with what its split waits for. Paths from the repository's root. */
    static final Map<String, String> NOT_YET_SPLIT = Map.of();

    private static final List<String> CHECKED = List.of("health-domain/src/main/java",
            "health-application/src/main/java");

    @Test
    void noMainFileOfTheDomainOrTheApplicationIsLongerThanTheLimit() {
        Path root = RepositoryRoot.find();
        Map<String, Integer> over = new TreeMap<>();
        for (String dir : CHECKED) {
            over.putAll(longFiles(root, root.resolve(dir)));
        }
        List<String> unexpected = new ArrayList<>();
        over.forEach((file, lines) -> {
            if (!NOT_YET_SPLIT.containsKey(file)) {
                unexpected.add(file + " (" + lines + " lines)");
            }
        });
        assertEquals(List.of(), unexpected, "main files over " + MAX_LINES + " lines: split them by reason to change");
        for (String listed : NOT_YET_SPLIT.keySet()) {
            assertTrue(over.containsKey(listed), listed + " is " + MAX_LINES + " lines or fewer now (or gone): take "
                    + "it off NOT_YET_SPLIT");
        }
    }

    @Test
    void aFileOneLineOverTheLimitIsFound(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("p"));
        Files.writeString(src.resolve("p/Long.java"), "x\n".repeat(MAX_LINES + 1));
        Files.writeString(src.resolve("p/Short.java"), "x\n".repeat(MAX_LINES));
        assertEquals(Map.of("src/p/Long.java", MAX_LINES + 1), longFiles(dir, src));
    }

    static Map<String, Integer> longFiles(Path root, Path dir) {
        Map<String, Integer> over = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                int lines = Files.readAllLines(f).size();
                if (lines > MAX_LINES) {
                    over.put(root.relativize(f).toString().replace('\\', '/'), lines);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return over;
    }
}
