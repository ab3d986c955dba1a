package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One monitor per database file: an exclusive lock, taken by the operating system on a file beside the database
 * ({@code health.db.lock} for {@code health.db}), held for as long as the monitor runs. Two monitors on one file would
 * write every row, alert and webhook twice, and each would overwrite the other's status board.
 *
 * <p>Why a lock file and not SQLite's own locking: SQLite locks for the length of a transaction, and in WAL mode
 * readers and a writer share the file on purpose (a {@code status} or a {@code check} beside a running watch is
 * normal), so no SQLite lock says "a monitor runs here". An exclusive SQLite transaction held for the whole run would
 * stop every other writer, {@code check} included. An OS lock ({@code fcntl}, through {@link FileChannel#tryLock()})
 * is released by the kernel when its process ends, however it ends ({@code kill -9} included), so a lock can never
 * outlive its holder. The file itself stays; it holds the process id of its last holder, which the refused monitor
 * names. The file existing means nothing: only the lock on it counts.
 *
 * <p>A POSIX lock belongs to the process, and closing any descriptor of the file drops all of the process's locks on
 * it: so a second monitor in the same process is refused by a registry of the files locked here, before it opens the
 * file at all.
 */
public final class MonitorLock implements AutoCloseable {
    /** The lock files held by monitors of this process, by their real path. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path database;
    private final Path file;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;
    private boolean released;

    private MonitorLock(Path database, Path file, Path key, FileChannel channel, FileLock lock, Object fileKey) {
        this.database = database;
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
    }

    /**
     * {@code db} with its symbolic links followed: a link to the file (or a link on the way to it) is the file, one
     * lock beside the file itself, also while the file is still to be made (a link to a database not created yet
     * locks what it will be: the link resolved by hand, at most 40 links deep, as the kernel does).
     */
    static Path followed(Path db) {
        Path at = db;
        for (int hops = 0; hops < 40; hops++) {
            try {
                return at.toRealPath();
            } catch (IOException notThereYet) {
                if (!Files.isSymbolicLink(at)) {
                    return at; // a database to be made: its directory's real path names the lock
                }
                try {
                    at = at.resolveSibling(Files.readSymbolicLink(at)).toAbsolutePath().normalize();
                } catch (IOException unreadable) {
                    return at;
                }
            }
        }
        return at;
    }

    /** The lock file of {@code database}: beside it, its name followed by {@code .lock}. */
    public static Path fileOf(Path database) {
        Path absolute = database.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code database} for a monitor, or refuses.
     *
     * @throws StorageUnavailableException when another monitor holds it (the message names the file and, where the
     *     lock file says, the holder's process id), or the lock file cannot be made
     */
    public static MonitorLock acquire(Path database) {
        Path db = database.toAbsolutePath().normalize();
        db = followed(db);
        Path file = fileOf(db);
        Path key;
        try {
            Files.createDirectories(file.getParent());
            key = file.getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            throw new StorageUnavailableException("cannot lock database " + db + ": cannot create its directory ("
                    + e.getMessage() + ")", e);
        }
        if (!HELD_HERE.add(key)) {
            throw inUse(db, Optional.of(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another name of the same file, locked in this process
            }
            if (lock == null) {
                channel.close();
                channel = null;
                HELD_HERE.remove(key);
                throw inUse(db, holder(file));
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            Object fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return new MonitorLock(db, file, key, channel, lock, fileKey);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            HELD_HERE.remove(key);
            throw new StorageUnavailableException("cannot lock database " + db + ": " + file + " cannot be used ("
                    + e.getMessage() + ")", e);
        }
    }

    private static StorageUnavailableException inUse(Path db, Optional<Long> pid) {
        return new StorageUnavailableException("database " + db + " is in use by another monitor ("
                + pid.map(p -> "process " + p).orElse("its process id is not in " + fileOf(db)) + "); run one "
                + "monitor per database file, or give this one another database", null);
    }

    /** The process id the lock file holds, if it holds one. */
    static Optional<Long> holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]{1,19}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** The database it locks. */
    public Path database() {
        return database;
    }

    /**
     * Whether the file at the lock's path is still the one locked. It is not when it was deleted (with its directory,
     * say) or replaced: then another monitor could lock the new one, and this one must {@link #acquire} it again.
     */
    public boolean stillAtPath() {
        try {
            return Objects.equals(fileKey, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell: keep what is held rather than take a second lock
        }
    }

    /** Releases the lock; the file stays. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing holds it any more either way: the process's descriptor is gone
            } finally {
                HELD_HERE.remove(key);
            }
        }
    }
}
