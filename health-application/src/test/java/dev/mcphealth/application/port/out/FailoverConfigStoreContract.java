package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link FailoverConfigStorePort} promises, held against its in-memory fake and the SQLite store alike, as far
 * as the port shows it: a row per saved type and no other, a link only onto a row, and the bugs it refuses.
 */
public abstract class FailoverConfigStoreContract {
    private static final ServerType SEARCH = ServerType.of("web_search");
    private static final ServerType FILES = ServerType.of("filesystem");
    private static final ServerType MEMORY = ServerType.of("memory");

    protected abstract FailoverConfigStorePort store();

    private static FailoverConfig config(ServerType type, int retries) {
        return new FailoverConfig(type, FallbackStrategy.GRACEFUL_DEGRADATION, Optional.empty(), true, retries,
                Duration.ofSeconds(5), Duration.ofSeconds(15), Optional.empty());
    }

    @Test
    void aTypeWithoutARowIsNotLinked() {
        assertFalse(store().linkFailoverTask(SEARCH, "task-1"), "rows are made by save only");
    }

    @Test
    void savedTypesAreLinkedAndOthersAreNot() {
        store().save(List.of(config(SEARCH, 3), config(FILES, 2)));
        assertTrue(store().linkFailoverTask(SEARCH, "task-1"));
        assertTrue(store().linkFailoverTask(FILES, "task-2"));
        assertFalse(store().linkFailoverTask(MEMORY, "task-3"));
    }

    @Test
    void aTypeNoLongerSavedHasNoRow() {
        store().save(List.of(config(SEARCH, 3), config(FILES, 2)));
        store().save(List.of(config(FILES, 4)));
        assertFalse(store().linkFailoverTask(SEARCH, "task-1"), "the stored rows match what was saved last");
        assertTrue(store().linkFailoverTask(FILES, "task-2"));
    }

    @Test
    void twoConfigurationsOfOneTypeAreABugAndChangeNothing() {
        store().save(List.of(config(SEARCH, 3)));
        assertThrows(IllegalArgumentException.class, () -> store().save(List.of(config(FILES, 1),
                config(FILES, 2))));
        assertTrue(store().linkFailoverTask(SEARCH, "task-1"), "the rows before are kept");
        assertFalse(store().linkFailoverTask(FILES, "task-2"), "and nothing of the refused save is");
    }

    @Test
    void aBlankTaskIsABug() {
        store().save(List.of(config(SEARCH, 3)));
        assertThrows(IllegalArgumentException.class, () -> store().linkFailoverTask(SEARCH, " "));
    }
}
