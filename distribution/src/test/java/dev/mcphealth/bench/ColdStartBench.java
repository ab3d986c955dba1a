package dev.mcphealth.bench;

import dev.mcphealth.testkit.EverythingServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start, end to end, as a shell (cron, Nagios, a Kubernetes exec probe) sees it: the wall time from starting a
 * command until it has exited, every run a fresh process. Side by side in one run, interleaved round by round so that
 * every row sees the same machine noise:
 * <ul>
 *   <li>HTTP: {@code bin/mcp-health check --json} of the archive (unpacked in a temporary directory, its cache there
 *       too) against a local server-everything over streamable HTTP; curl doing initialize, ping and DELETE (three
 *       processes, as a shell script would); the MCP Java SDK's client doing initialize, ping, close in a fresh JVM
 *       ({@link BareSdkCheck}); and {@code bin/mcp-health} of the source tree.</li>
 *   <li>stdio: {@code check} of server-everything over stdio; the server's own cost, measured here without any
 *       client program (start it, initialize, initialized, ping, close its input, wait for its exit: what every
 *       client pays); the SDK's client in a fresh JVM.</li>
 *   <li>{@code --help} and {@code --version}; an empty Java program (the JVM's own start and exit).</li>
 * </ul>
 * The archive's first {@code check} on a machine makes its class data sharing archive after answering (in the
 * background); that first run is reported apart, and the rounds start once the archive is there.
 *
 * <p>{@code mvn -B -DskipTests install && mvn -B -Pbench -pl distribution -DskipTests verify} (not {@code -am}: every
 * module's bench would run); {@code -Dbench.options="rounds=20"}.
 */
public final class ColdStartBench {
    private static final double HTTP_TARGET = 1.0;
    private static final double HELP_TARGET = 0.4;
    private static final double STDIO_ABOVE_TARGET = 0.5;

    private final Path home;
    private final Path work;
    private final Path repo;
    private final Map<String, String> env = new LinkedHashMap<>();

    private ColdStartBench(Path home, Path work, Path repo) {
        this.home = home;
        this.work = work;
        this.repo = repo;
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JVM of the SDK's rows
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(System.getProperty("bench.options", ""));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "10"));
        Path archive = Path.of(System.getProperty("mcphealth.dist.archive"));
        Path repo = Path.of(System.getProperty("mcphealth.repo.root"));
        Path work = Files.createTempDirectory("mcp-health-coldstart");
        run(List.of("tar", "-xzf", archive.toString(), "-C", work.toString()), Map.of(), 60);
        Path home;
        try (var dirs = Files.list(work)) {
            home = dirs.filter(d -> d.getFileName().toString().startsWith("mcp-health-")).findFirst().orElseThrow();
        }
        new ColdStartBench(home, work, repo).measure(rounds);
    }

    private void measure(int rounds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        String mcpHealth = home.resolve("bin/mcp-health").toString();
        String sourceTree = repo.resolve("bin/mcp-health").toString();
        List<String> stdio = EverythingServer.stdioCommand();
        try (EverythingServer http = EverythingServer.streamableHttp()) {
            Path httpConfig = config("http", "{\"type\": \"http\", \"url\": \"" + http.mcpUrl() + "\"}");
            Path stdioConfig = config("stdio", "{\"command\": \"" + stdio.get(0) + "\", \"args\": [\""
                    + stdio.get(1) + "\", \"" + stdio.get(2) + "\"]}");
            String db = work.resolve("health.db").toString();
            List<String> checkHttp = List.of(mcpHealth, "check", "--config", httpConfig.toString(), "--db", db, "--json");
            List<String> checkStdio = List.of(mcpHealth, "check", "--config", stdioConfig.toString(), "--db", db,
                    "--json");
            System.out.printf(Locale.ROOT, "cold start: %s, %d rounds, Java %s, %d cores%n", home.getFileName(),
                    rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            run(List.of(sourceTree, "--version"), Map.of(), 600); // builds the source tree's CLI if it is stale
            double first = seconds(checkHttp, env);
            double madeIn = awaitArchive();
            System.out.printf(Locale.ROOT, "first check on this machine: %.3f s; its class data archive was there %.1f s"
                    + " after it ended%n", first, madeIn);

            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("mcp-health check, HTTP", checkHttp);
            commands.put("curl initialize + ping + DELETE", null);
            commands.put("SDK client in a fresh JVM, HTTP", List.of(java, "-cp", classpath,
                    BareSdkCheck.class.getName(), "http", http.mcpUrl()));
            commands.put("SDK client in a fresh JVM, HTTP, exiting as MCP Health does", List.of(java, "-cp",
                    classpath, BareSdkCheck.class.getName(), "http-quick", http.mcpUrl()));
            commands.put("bin/mcp-health of the source tree, HTTP", List.of(sourceTree, "check", "--config",
                    httpConfig.toString(), "--db", db, "--json"));
            commands.put("mcp-health check, stdio", checkStdio);
            commands.put("server-everything's own start, answers, exit (stdio)", null);
            List<String> sdkStdio = new ArrayList<>(List.of(java, "-cp", classpath, BareSdkCheck.class.getName(),
                    "stdio"));
            sdkStdio.addAll(stdio);
            commands.put("SDK client in a fresh JVM, stdio", sdkStdio);
            commands.put("mcp-health --help", List.of(mcpHealth, "--help"));
            commands.put("mcp-health --version", List.of(mcpHealth, "--version"));
            commands.put("an empty Java program", List.of(java, "-cp", classpath, BareSdkCheck.class.getName(),
                    "noop"));
            Map<String, double[]> times = new LinkedHashMap<>();
            commands.keySet().forEach(k -> times.put(k, new double[rounds]));
            for (int r = 0; r < rounds; r++) {
                for (var e : commands.entrySet()) {
                    double s;
                    if (e.getKey().startsWith("curl")) {
                        s = curl(http.mcpUrl());
                    } else if (e.getKey().startsWith("server-everything")) {
                        s = bareStdio(stdio);
                    } else {
                        s = seconds(e.getValue(), e.getKey().contains("mcp-health") ? env : Map.of());
                    }
                    times.get(e.getKey())[r] = s;
                }
                System.out.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
            }
            report(times);
        }
    }

    private void report(Map<String, double[]> times) {
        System.out.println();
        System.out.println("| command (wall time, start to exit) | median | min | max |");
        System.out.println("|---|---|---|---|");
        times.forEach((k, v) -> {
            double[] s = v.clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "| %s | %.3f s | %.3f s | %.3f s |%n", k, median(s), s[0], s[s.length - 1]);
        });
        double http = median(times.get("mcp-health check, HTTP"));
        double curl = median(times.get("curl initialize + ping + DELETE"));
        double sdkHttp = median(times.get("SDK client in a fresh JVM, HTTP"));
        double stdio = median(times.get("mcp-health check, stdio"));
        double server = median(times.get("server-everything's own start, answers, exit (stdio)"));
        double sdkStdio = median(times.get("SDK client in a fresh JVM, stdio"));
        double help = Math.max(median(times.get("mcp-health --help")), median(times.get("mcp-health --version")));
        System.out.println();
        System.out.printf(Locale.ROOT, "check over HTTP: %.3f s (target %.1f s: %s); %.2fx curl, %.2fx the SDK client%n",
                http, HTTP_TARGET, http <= HTTP_TARGET ? "met" : "NOT met", http / curl, http / sdkHttp);
        System.out.printf(Locale.ROOT, "check over stdio: %.3f s above the server's own %.3f s (target %.1f s: %s);"
                + " %.2fx the SDK client%n", stdio - server, server, STDIO_ABOVE_TARGET,
                stdio - server <= STDIO_ABOVE_TARGET ? "met" : "NOT met", stdio / sdkStdio);
        System.out.printf(Locale.ROOT, "--help/--version: %.3f s at most (target %.1f s: %s)%n", help, HELP_TARGET,
                help <= HELP_TARGET ? "met" : "NOT met");
    }

    private Path config(String name, String server) throws IOException {
        Path file = work.resolve(name + ".json");
        Files.writeString(file, "{\"mcpServers\": {\"everything\": " + server + "}}");
        return file;
    }

    /** Waits for the class data archive the first check makes; returns how long it took. */
    private double awaitArchive() throws Exception {
        long start = System.nanoTime();
        Path cache = work.resolve("cache/mcp-health");
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
            try (var files = Files.list(cache)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".jsa"))) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (IOException e) {
                // not there yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no class data archive in " + cache + " two minutes after the first check");
    }

    /** Initialize, ping and DELETE with curl, one process each, as a shell script does; the session id carried. */
    private static double curl(String url) throws Exception {
        long start = System.nanoTime();
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"curl\",\"version\":\"1\"}}}";
        String headers = run(List.of("curl", "-fsS", "-D", "-", "-o", "/dev/null", "-X", "POST", url, "-H",
                "Content-Type: application/json", "-H", "Accept: application/json, text/event-stream", "-d",
                initialize), Map.of(), 30);
        String session = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("mcp-session-id:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no session id: " + headers));
        run(List.of("curl", "-fsS", "-o", "/dev/null", "-X", "POST", url, "-H", "Content-Type: application/json", "-H",
                "Accept: application/json, text/event-stream", "-H", "Mcp-Session-Id: " + session, "-H",
                "MCP-Protocol-Version: 2025-11-25", "-d", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"),
                Map.of(), 30);
        run(List.of("curl", "-fsS", "-o", "/dev/null", "-X", "DELETE", url, "-H", "Mcp-Session-Id: " + session, "-H",
                "MCP-Protocol-Version: 2025-11-25"), Map.of(), 30);
        return (System.nanoTime() - start) / 1e9;
    }

    /** What any client of a stdio server pays for the server itself: its start, two answers, its exit. */
    private static double bareStdio(List<String> command) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try (OutputStream in = p.getOutputStream()) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bare\",\"version\":\"1\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            awaitId(out, 1);
            in.write(("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            awaitId(out, 2);
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("server-everything did not exit when its input closed");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void awaitId(BufferedReader out, int id) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("\"id\":" + id + ",") || line.contains("\"id\":" + id + "}")) {
                return;
            }
        }
        throw new IllegalStateException("server-everything ended before answering request " + id);
    }

    private static double seconds(List<String> command, Map<String, String> env) throws Exception {
        long start = System.nanoTime();
        run(command, env, 120);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Runs a command to its end (at most {@code timeoutSeconds}); its output, which must say nothing of failure. */
    private static String run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("coldstart", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            for (String inherited : List.of("MCP_HEALTH_JAVA_OPTS", "MCP_HEALTH_CDS", "MCP_HEALTH_LOG")) {
                pb.environment().remove(inherited);
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not end in " + timeoutSeconds + " s");
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Map<String, String> options(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : text.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }
}
