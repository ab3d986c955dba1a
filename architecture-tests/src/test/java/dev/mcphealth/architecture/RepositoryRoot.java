package dev.mcphealth.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root: the tests run in the module's directory, and the root is the one above that holds them all. */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("health-domain"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "the repository root is above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
