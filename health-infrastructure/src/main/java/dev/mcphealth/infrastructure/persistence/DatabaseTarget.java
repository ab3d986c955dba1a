package dev.mcphealth.infrastructure.persistence;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run keeps its records: a SQLite file (the default), or a PostgreSQL database named by a URL
 * {@code postgresql://[user[:password]@][host][:port][/database][?parameter=value&...]} as libpq writes them.
 *
 * <p>What the URL leaves out comes from the variables libpq reads: {@code PGHOST} (default 127.0.0.1), {@code PGPORT}
 * (5432), {@code PGDATABASE} (the user's name), {@code PGUSER} (the login's name) and {@code PGPASSWORD}; without a
 * password the driver looks it up in the password file ({@code PGPASSFILE}, else {@code ~/.pgpass}). {@code PGSSLMODE},
 * {@code PGSSLROOTCERT}, {@code PGSSLCERT} and {@code PGSSLKEY} stand for the parameters of the same names. Parameters
 * go to the driver ({@code sslmode=verify-full}, {@code connectTimeout=5}; libpq's {@code connect_timeout} and
 * {@code application_name} too); one it does not know is refused, not ignored. The password is never part of
 * {@link #name()}, so it is in no message, log line or report.
 */
public sealed interface DatabaseTarget {
    /** What messages and reports name. */
    String name();

    /** Opens the database and brings its schema up to date. */
    Database open();

    /** Whether {@code text} is a PostgreSQL URL rather than a file's path. */
    static boolean isUrl(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    /** Whether {@code text} looks like a URL of some scheme ({@code jdbc:postgresql://}, {@code mysql://}, ...). */
    private static boolean looksLikeAnotherUrl(String text) {
        return text.matches("(?s)[A-Za-z][A-Za-z0-9+.:-]*:/.*");
    }

    /**
     * The target {@code text} names: a PostgreSQL URL, or else a SQLite file's path.
     *
     * @throws IllegalArgumentException with one sentence naming what is wrong with a URL (never its password)
     */
    static DatabaseTarget parse(String text, Map<String, String> env) {
        Objects.requireNonNull(text, "text");
        if (!isUrl(text)) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("the database is blank: give a file or a postgresql:// URL");
            }
            if (looksLikeAnotherUrl(text)) {
                // not quoted: it may hold a password
                throw new IllegalArgumentException("the database is a URL this program does not read: give a SQLite"
                        + " file, or PostgreSQL as postgresql://user@host:port/database");
            }
            return new SqliteFile(Path.of(text));
        }
        return Postgres.parse(text, env);
    }

    /** A SQLite file. */
    record SqliteFile(Path file) implements DatabaseTarget {
        public SqliteFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String name() {
            return file.toString();
        }

        @Override
        public Database open() {
            return SqliteDatabase.open(file);
        }
    }

    /**
     * A PostgreSQL database: where, who, and the driver's other settings. The password is kept apart and never shown
     * ({@link #toString()} leaves it out as {@link #name()} does).
     */
    record Postgres(String host, int port, String database, String user, Optional<String> password,
                    Map<String, String> parameters) implements DatabaseTarget {
        public Postgres {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            parameters = Map.copyOf(parameters);
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1-65535, got " + port);
            }
        }

        static Postgres parse(String text, Map<String, String> env) {
            String scheme = text.substring(0, text.indexOf("://"));
            String rest = text.substring(scheme.length() + 3);
            // the user's part ends at the last @: a password may hold / ? # @ unescaped, a host, port or database none
            int at = rest.lastIndexOf('@');
            String userInfo = at < 0 ? null : rest.substring(0, at);
            String place = rest.substring(at + 1);
            int query = place.indexOf('?');
            String beforeQuery = query < 0 ? place : place.substring(0, query);
            String user = null;
            String password = null;
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            }
            // what a message may say of the URL: the user but no password, no parameters (one may be password=)
            String safe = "postgresql://" + (user == null ? "" : user + "@") + beforeQuery;
            if (place.contains("#")) {
                throw new IllegalArgumentException("the database URL " + safe + " has a fragment (#...)");
            }
            int slash = beforeQuery.indexOf('/');
            String hostPort = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
            String path = slash < 0 ? "" : decode(beforeQuery.substring(slash + 1));
            String host;
            String portText;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("the database URL " + safe + " has an IPv6 address without"
                            + " its closing bracket");
                }
                host = hostPort.substring(1, close);
                String after = hostPort.substring(close + 1);
                if (!after.isEmpty() && !after.startsWith(":")) {
                    throw new IllegalArgumentException("the database URL " + safe + " has something after its"
                            + " host: " + after);
                }
                portText = after.isEmpty() ? "" : after.substring(1);
            } else {
                int colon = hostPort.indexOf(':');
                host = decode(colon < 0 ? hostPort : hostPort.substring(0, colon));
                portText = colon < 0 ? "" : hostPort.substring(colon + 1);
            }
            if (host.contains(",")) {
                throw new IllegalArgumentException("the database URL " + safe + " names several hosts: give one");
            }
            if (!host.isEmpty() && !host.matches("[A-Za-z0-9._:%-]+")) {
                throw new IllegalArgumentException("the database URL " + safe + " has a host name that is not one: "
                        + host);
            }
            if (host.isEmpty()) {
                host = env.getOrDefault("PGHOST", "127.0.0.1");
            }
            if (host.startsWith("/")) {
                throw new IllegalArgumentException("PGHOST " + host + " is a socket directory; give a host name:"
                        + " this program connects over TCP");
            }
            int port;
            if (!portText.isEmpty()) {
                if (!portText.matches("[0-9]{1,5}")) {
                    throw new IllegalArgumentException("the database URL " + safe + " has a port that is not a"
                            + " number: " + portText);
                }
                port = Integer.parseInt(portText);
            } else {
                try {
                    port = Integer.parseInt(env.getOrDefault("PGPORT", "5432").strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("PGPORT is not a port number: " + env.get("PGPORT"), null);
                }
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("the database port must be 1-65535, got " + port);
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            String raw = query < 0 ? null : place.substring(query + 1);
            if (raw != null && !raw.isEmpty()) {
                for (String pair : raw.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("the database URL " + safe + " has a parameter without"
                                + " a value: " + (eq < 0 ? decode(pair) : "=..."));
                    }
                    String key = decode(pair.substring(0, eq));
                    String value = decode(pair.substring(eq + 1));
                    switch (key) {
                        case "user" -> user = value;
                        case "password" -> password = value;
                        case "dbname" -> parameters.put("dbname", value);
                        default -> parameters.put(driverName(key, safe), value);
                    }
                }
            }
            // libpq's TLS variables, as the URL's own parameters when it has none
            for (String[] v : new String[][] {{"PGSSLMODE", "sslmode"}, {"PGSSLROOTCERT", "sslrootcert"},
                    {"PGSSLCERT", "sslcert"}, {"PGSSLKEY", "sslkey"}}) {
                String set = env.get(v[0]);
                if (set != null && !set.isBlank() && !parameters.containsKey(v[1])) {
                    parameters.put(v[1], set.strip());
                }
            }
            if (user == null || user.isEmpty()) {
                user = env.getOrDefault("PGUSER", "");
            }
            if (user.isEmpty()) {
                user = System.getProperty("user.name", "postgres");
            }
            String database = path;
            String dbname = parameters.remove("dbname");
            if (database.isEmpty()) {
                database = dbname != null ? dbname : env.getOrDefault("PGDATABASE", user);
            }
            if (database.contains("/")) {
                throw new IllegalArgumentException("the database URL " + safe + " names no single database: "
                        + database);
            }
            if (password == null) {
                password = env.get("PGPASSWORD");
            }
            return new Postgres(host, port, database, user, Optional.ofNullable(password), parameters);
        }

        /** The JDBC URL: host, port and database only; who logs in, and how, go as properties. */
        String jdbcUrl() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database,
                    StandardCharsets.UTF_8).replace("+", "%20");
        }

        @Override
        public String name() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return "postgresql://" + user + "@" + h + ":" + port + "/" + database;
        }

        @Override
        public Database open() {
            return PostgresDatabase.open(this);
        }

        @Override
        public String toString() {
            return name();
        }

        /**
         * The driver's name of URL parameter {@code key}: libpq's names for what they share ({@code connect_timeout},
         * {@code application_name}), else pgjdbc's own; refused when it is neither, rather than ignored.
         */
        private static String driverName(String key, String safe) {
            String name = switch (key) {
                case "connect_timeout" -> "connectTimeout";
                case "application_name" -> "ApplicationName";
                case "target_session_attrs" -> "targetServerType";
                default -> key;
            };
            if (org.postgresql.PGProperty.forName(name) == null || name.startsWith("PG")) {
                throw new IllegalArgumentException("the database URL " + safe + " has a parameter this program does not"
                        + " know: " + key + " (pgjdbc's names, or libpq's sslmode, sslrootcert, connect_timeout,"
                        + " application_name)");
            }
            return name;
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the database URL has a malformed %-escape", null);
            }
        }

    }

    /**
     * {@code target} opened on a thread of its own once {@link #start()} is called, so that a command's other work
     * overlaps the open: a check needs its database only to record what its probes found, and opening it (the pool,
     * the schema's check) was on the way to the first probe (docs/benchmarks.md, "Cold start"). {@link #open()} waits
     * for that open and returns its database, or throws what it threw, each time: the database is opened once.
     */
    final class OpeningAhead implements DatabaseTarget {
        private final DatabaseTarget target;
        private final java.util.concurrent.CompletableFuture<Database> opened =
                new java.util.concurrent.CompletableFuture<>();
        private final java.util.concurrent.atomic.AtomicBoolean started =
                new java.util.concurrent.atomic.AtomicBoolean();

        public OpeningAhead(DatabaseTarget target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Starts the open, on a daemon thread; once only. */
        public void start() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            Thread t = new Thread(() -> {
                try {
                    opened.complete(target.open());
                } catch (Throwable e) {
                    opened.completeExceptionally(e);
                }
            }, "mcp-health-open-database");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public String name() {
            return target.name();
        }

        /**
         * The database, once the open has ended (started now if {@link #start()} was not called); what the open threw,
         * as it threw it, if it failed.
         */
        @Override
        public Database open() {
            start();
            try {
                return opened.join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        /** What the open threw, once it has ended (waiting for it); empty when it opened the database. */
        public Optional<RuntimeException> failure() {
            try {
                open();
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(e);
            }
        }

        /**
         * Closes the database if the open was started and succeeded (waiting for it to end); else nothing, and nothing
         * thrown: what the open threw was thrown to whoever asked for the database (thrown again here, an error
         * would be added to itself as suppressed by a try-with-resources, and hidden).
         */
        public void close() {
            if (!started.get()) {
                return;
            }
            Database db = opened.exceptionally(failed -> null).join();
            if (db != null) {
                db.close();
            }
        }
    }
}
