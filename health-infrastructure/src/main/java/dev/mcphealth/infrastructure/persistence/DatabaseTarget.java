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
 * password the driver looks it up in the password file ({@code PGPASSFILE}, else {@code ~/.pgpass}). Parameters go
 * to the driver as they are ({@code sslmode=verify-full}, {@code connectTimeout=5}). The password is never part of
 * {@link #name()}, so it is in no message, log line or report.
 */
public sealed interface DatabaseTarget {
    /** What messages and reports name. */
    String name();

    /** Opens the database and brings its schema up to date. */
    Database open();

    /** Whether {@code text} is a PostgreSQL URL rather than a file's path. */
    static boolean isUrl(String text) {
        return text.startsWith("postgresql://") || text.startsWith("postgres://");
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
            int query = rest.indexOf('?');
            // what a message may say of the URL: no password, no parameters (one may be password=)
            String safe = scheme + "://" + withoutPassword(query < 0 ? rest : rest.substring(0, query));
            if (rest.contains("#")) {
                throw new IllegalArgumentException("the database URL " + safe + " has a fragment (#...)");
            }
            String beforeQuery = query < 0 ? rest : rest.substring(0, query);
            int slash = beforeQuery.indexOf('/');
            String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
            String path = slash < 0 ? "" : decode(beforeQuery.substring(slash + 1));
            int at = authority.lastIndexOf('@');
            String user = null;
            String password = null;
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            }
            String hostPort = authority.substring(at + 1);
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
            String raw = query < 0 ? null : rest.substring(query + 1);
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
                        default -> parameters.put(key, value);
                    }
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

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the database URL has a malformed %-escape", null);
            }
        }

        /** {@code user:secret@host/db} as {@code user@host/db}: for messages about a URL that cannot be read. */
        private static String withoutPassword(String rest) {
            int at = rest.lastIndexOf('@');
            if (at < 0) {
                return rest;
            }
            String info = rest.substring(0, at);
            int colon = info.indexOf(':');
            return (colon < 0 ? info : info.substring(0, colon)) + rest.substring(at);
        }
    }
}
