package dev.mcphealth.infrastructure.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Keeps SQLite's native library where the next process finds it. The SQLite driver, on every start, works out the
 * platform (on Linux by starting {@code uname -o}), copies its library out of its jar into the temporary directory,
 * checksums both copies, loads it, and deletes it at exit: about a tenth of a second of every {@code mcp-health}
 * command. When the launcher names a cache directory ({@value #CACHE_DIR}, which the distribution's
 * {@code bin/mcp-health} sets), the library is copied there once, under the driver's version, and the driver is told
 * to load it from there ({@code org.sqlite.lib.path}); the driver falls back to its own way when that copy does not
 * load. The copy is loaded here first: one that does not load (a file system mounted noexec, say) is removed and the
 * driver does it its own way, quietly. Only glibc Linux on x86_64 and aarch64 is handled; elsewhere, or without the
 * property, nothing changes.
 */
final class SqliteNative {
    static final String CACHE_DIR = "mcphealth.cache.dir";
    private static final String LIB_PATH = "org.sqlite.lib.path";
    private static final String LIB_NAME = "org.sqlite.lib.name";
    private static final String LIBRARY = "libsqlitejdbc.so";
    private static boolean done;

    private SqliteNative() {
    }

    /** Before the driver's first connection; quietly does nothing when anything is not as expected. */
    static synchronized void prepare() {
        if (done) {
            return;
        }
        done = true;
        String cache = System.getProperty(CACHE_DIR);
        if (cache == null || cache.isBlank() || System.getProperty(LIB_PATH) != null
                || System.getProperty(LIB_NAME) != null) {
            return; // a program embedding the library: the driver's own way, nothing looked at here
        }
        String folder = folder();
        if (folder == null) {
            return;
        }
        try {
            String version = driverVersion();
            java.net.URL resource = org.sqlite.JDBC.class.getResource("/org/sqlite/native/" + folder + "/" + LIBRARY);
            if (version == null || resource == null) {
                return;
            }
            long size = resource.openConnection().getContentLengthLong();
            Path root = Path.of(cache);
            Path dir = root.resolve("sqlite-" + version).resolve(folder.replace('/', '-'));
            Path library = dir.resolve(LIBRARY);
            if (!kept(root, library, size)) {
                extract(resource, dir, library);
                if (!kept(root, library, size)) {
                    return;
                }
            }
            try {
                System.load(library.toString()); // the driver's own load of it is then a no-op
            } catch (UnsatisfiedLinkError e) {
                Files.deleteIfExists(library); // a library that does not load here: the driver does it its own way
                return;
            }
            System.setProperty(LIB_PATH, dir.toString());
            System.setProperty(LIB_NAME, LIBRARY);
        } catch (IOException | RuntimeException e) {
            // the driver does it its own way
        }
    }

    /**
     * Whether the library in the cache is whole and ours: a regular file (not a link), of the size it has in the jar,
     * owned by whoever owns the cache, and neither it nor its directories writable by others (it is loaded as code).
     */
    private static boolean kept(Path root, Path library, long size) throws IOException {
        if (!Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) || (size >= 0 && Files.size(library) != size)) {
            return false;
        }
        var owner = Files.getOwner(root);
        for (Path p = library; p != null && p.startsWith(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p) || !Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                return false;
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                return false;
            }
        }
        return true;
    }

    /** Copies the library out of the jar under a name of its own, then puts it in place in one step. */
    private static void extract(java.net.URL resource, Path dir, Path library) throws IOException {
        FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir, owner);
        Path partial = Files.createTempFile(dir, LIBRARY, ".part", owner);
        try (InputStream in = resource.openStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            // another process may have put it there meanwhile: the same bytes either way
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The driver's folder of native libraries for this platform, or null when not one handled here. */
    private static String folder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || Files.exists(Path.of("/etc/alpine-release")) || musl()) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "Linux/x86_64";
            case "aarch64", "arm64" -> "Linux/aarch64";
            default -> null;
        };
    }

    private static boolean musl() {
        try (var libs = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            return libs.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String driverVersion() throws IOException {
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream("/sqlite-jdbc.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v != null && v.matches("[0-9A-Za-z.\\-]{1,40}") ? v : null;
        }
    }
}
