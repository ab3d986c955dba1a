package dev.mcphealth.testkit;

import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package: {@code initdb}, {@code pg_ctl}) in a temporary
 * directory, listening on 127.0.0.1 only (no Unix socket), with password (SCRAM) logins. PostgreSQL refuses to run as
 * root: as root the server runs as {@code nobody}. Made for tests: fsync off, so it is fast and a crash of the host
 * may lose what it wrote.
 *
 * <p>{@link #shared()} is one server for the whole test JVM, stopped when it exits; {@link #database()} makes a fresh,
 * empty database in it for each test. {@link #start()} is a server of one's own, to stop and start again; closing it
 * deletes its files. Its directory is a new one under the system's temporary directory (a test's own temporary
 * directory is root's alone, and the server, as nobody, could not enter it).
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "mcp";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path dir;
    private final Path bin;
    private final String password;
    private final int port;
    private boolean running;
    private boolean frozen;

    private PostgresServer(Path dir, Path bin, String password, int port) {
        this.dir = dir;
        this.bin = bin;
        this.password = password;
        this.port = port;
    }

    /** The server every test of this JVM shares, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** A new server in a new temporary directory, started. */
    public static PostgresServer start() {
        Path bin = binaries();
        Path dir;
        try {
            dir = Files.createTempDirectory("mcp-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        try {
            Path pw = dir.resolve("pw");
            Files.writeString(pw, password + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            giveToServerUser(dir);
            giveToServerUser(pw);
            run(dir, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pw, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
            Files.delete(pw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(dir, bin, password, freePort());
        server.startAgain();
        return server;
    }

    /** Starts the server again after {@link #stop()}, on the same port and with the same data. */
    public synchronized void startAgain() {
        if (running) {
            return;
        }
        run(dir, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=''"
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start");
        running = true;
    }

    /** Stops the server (fast: open sessions are ended), keeping its data. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        run(dir, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "-t", "30", "stop");
        running = false;
    }

    /**
     * SIGSTOP to the server and every process of it: it stops answering without closing anything, as a server does
     * that hangs or is cut off by a network that drops packets (connections open, the kernel still accepting new ones,
     * no reply to any). {@link #thaw()} lets it go on.
     */
    public synchronized void freeze() {
        frozen = true; // first: a kill that fails half way still gets its SIGCONT at close
        signalAll("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() {
        if (frozen) {
            signalAll("CONT");
            frozen = false;
        }
    }

    private void signalAll(String signal) {
        long postmaster;
        try {
            postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(postmaster)));
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> cmd.add(Long.toString(p.pid())));
        try {
            // a backend may end between the listing and the signal: kill's exit code is not asked
            Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
                    ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("kill -" + signal + " did not finish");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    /** A fresh, empty database in this server, for one test. */
    public DatabaseTarget.Postgres database() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name);
        return target(name);
    }

    /**
     * A fresh database in this server, a copy of {@code template} (made once by the caller, migrated, and never
     * connected to while it is copied): cheaper than migrating each test's database again.
     */
    public DatabaseTarget.Postgres copyOf(String template) {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name + " TEMPLATE " + template);
        return target(name);
    }

    /** The database {@code name} of this server, with the test user's password. */
    public DatabaseTarget.Postgres target(String name) {
        return new DatabaseTarget.Postgres("127.0.0.1", port, name, USER, Optional.of(password), Map.of());
    }

    /** The URL of database {@code name}, with the password in it. */
    public String url(String name) {
        return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + name;
    }

    public String password() {
        return password;
    }

    /** Drops database {@code name}, ending its sessions. */
    public void drop(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Runs {@code sql} in database {@code name} as the test user. */
    public void execute(String name, String sql) {
        try (Connection c = connect(name); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused \"" + sql + "\": " + e.getMessage(), e);
        }
    }

    /** A plain connection (no pool) to database {@code name}. */
    public Connection connect(String name) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + name, p);
    }

    /** Stops the server at once and deletes its files. */
    @Override
    public synchronized void close() {
        thaw();
        if (running) {
            try {
                run(dir, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                        "-w", "-t", "30", "stop");
            } catch (IllegalStateException e) {
                // it is gone already
            }
            running = false;
        }
        deleteTree(dir);
    }

    /** Debian's server binaries, the newest version installed. */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under /usr/lib/postgresql:"
                            + " install Debian's postgresql package (scripts/install-test-servers.sh does as root)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** As root, the server runs as nobody: its files must be nobody's. */
    private static void giveToServerUser(Path path) throws IOException {
        if (!root()) {
            return;
        }
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("nobody"));
        GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
        view.setGroup(group);
    }

    private static void run(Path dir, String... command) {
        List<String> argv = new ArrayList<>();
        if (root()) {
            argv.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        argv.addAll(List.of(command));
        Path out = dir.resolve("command.log");
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                String log = Files.readString(out);
                Path server = dir.resolve("server.log");
                if (Files.exists(server)) {
                    log += "\nserver.log:\n" + Files.readString(server);
                }
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                        + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
