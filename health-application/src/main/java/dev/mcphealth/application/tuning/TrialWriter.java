package dev.mcphealth.application.tuning;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.TrialStorePort;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link TrialBook}'s trials outside the lock that guards the book (a busy database must not hold up an apply
 * or a reply): first, once, the trials a stopped run left running are marked stopped and the values earlier runs
 * rolled back within the ban are read back into the book; then each trial changed since it was last written. One write at a time, each taking the book's latest states, so a later state is never overwritten
 * by an earlier one. What cannot be written now waits in the book for the next call.
 */
final class TrialWriter {
    private final TrialStorePort store;
    private final Object lock;
    private final TrialBook book;
    private final Clock clock;
    private final Object writing = new Object();

    /** @param lock what guards {@code book} */
    TrialWriter(TrialStorePort store, Object lock, TrialBook book, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.book = Objects.requireNonNull(book, "book");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The trials of earlier runs within the ban; none when they cannot be read (the ban then starts empty). */
    private List<ChangeTrial> earlier() {
        try {
            return store.since(clock.instant().minus(ApplyTuningService.NOT_AGAIN_FOR)).stream()
                    .map(TrialRecord::trial).toList();
        } catch (StorageUnavailableException unread) {
            return List.of();
        }
    }

    void save() {
        synchronized (writing) {
            boolean close;
            List<ChangeTrial> batch;
            synchronized (lock) {
                close = book.needsClosing();
                batch = book.toSave();
            }
            List<ChangeTrial> written = new ArrayList<>();
            try {
                if (close) {
                    store.stopRunning(clock.instant());
                    List<ChangeTrial> earlier = earlier();
                    synchronized (lock) {
                        book.closed(earlier);
                    }
                }
                for (ChangeTrial t : batch) {
                    store.save(t);
                    written.add(t);
                }
            } catch (StorageUnavailableException away) {
                // the rest waits for the next call; the trials go on in memory
            }
            synchronized (lock) {
                book.saved(written);
            }
        }
    }

    /** At the stop, after {@link #save}: the trials still under way are written as stopped, if the store can. */
    void stopRunning() {
        synchronized (writing) {
            try {
                store.stopRunning(clock.instant());
            } catch (StorageUnavailableException away) {
                // the next run marks them stopped when it starts
            }
        }
    }
}
