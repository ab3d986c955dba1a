package dev.mcphealth.adapter.mcp;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.TestClassArchive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mcp-health-server} as a real process (the packaged {@code target/mcp-health-server.jar}, as
 * {@code bin/mcp-health-server} runs it), with a config of real MCP servers: {@code everything} (type demo) and
 * {@code memory} (type kv), both over stdio.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("serving MCP on (http://\\S+)");

    final Process process;
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> urls = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.add(line);
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                        urls.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "server-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The command line that starts the server with {@code args}: {@code java -jar target/mcp-health-server.jar}, as
     * {@code bin/mcp-health-server} runs it, on the JIT's quick tier. The tests' servers live seconds to a minute: the
     * optimizing tier's compiles were half of each one's CPU (7.7 s against 4.0 s to its first minute on this machine,
     * the MCP adapter's tests being CPU-bound on two cores); a user's server, which runs for days, keeps the default,
     * as do benchmarks ({@link #commandAsUsersRun}).
     */
    static List<String> command(List<String> args) {
        List<String> jvm = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
        jvm.addAll(ARCHIVE.options());
        return command(jvm, args);
    }

    private static Path jar() {
        return Path.of(System.getProperty("user.dir"), "target", "mcp-health-server.jar");
    }

    /**
     * The tests' servers start from a class data sharing archive once it is made (about a second less of CPU each, and
     * serving a second sooner): made from a server that answers initialize and tools/list for a configuration of one
     * server nobody listens for (on loopback), then reads the end of its input and exits.
     */
    private static final TestClassArchive ARCHIVE = new TestClassArchive(
            Path.of(System.getProperty("user.dir"), "target", "it-server.jsa"), jar().toString(),
            work -> List.of("-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "--config",
                    TestClassArchive.oneServerNobodyListensFor(work).toString(), "--db",
                    work.resolve("health.db").toString()),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"class-archive\","
                    + "\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n");

    /** {@link #command}, with the JIT a user's server has (both tiers): for benchmarks. */
    static List<String> commandAsUsersRun(List<String> args) {
        return command(List.of(), args);
    }

    private static List<String> command(List<String> jvmOptions, List<String> args) {
        Path jar = jar();
        if (!Files.exists(jar)) {
            throw new AssertionError("the packaged server at " + jar + " (mvn package runs before the ITs)");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisplayVMOutputToStderr"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** {@link #start(List)} with the JIT a user's server has: for benchmarks. */
    static ServerProcess startAsUsersRun(List<String> args) throws IOException {
        return launch(commandAsUsersRun(args), java.util.Map.of());
    }

    static ServerProcess start(List<String> args) throws IOException {
        return start(args, java.util.Map.of());
    }

    static ServerProcess start(List<String> args, java.util.Map<String, String> env) throws IOException {
        return launch(command(args), env);
    }

    private static ServerProcess launch(List<String> command, java.util.Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return new ServerProcess(pb.start());
    }

    /** Waits for the "serving MCP on http://..." line. */
    String url() throws InterruptedException {
        for (int waited = 0; waited < 600; waited++) {
            String url = urls.poll(100, TimeUnit.MILLISECONDS);
            if (url != null) {
                return url;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the server ended (exit " + process.exitValue() + ") before it served; stderr: "
                        + stderrText());
            }
        }
        throw new AssertionError("no URL within 60 s; stderr: " + String.join("\n", stderr));
    }

    /** All of stderr, once the process has closed it. */
    String stderrText() throws InterruptedException {
        reader.join(10_000);
        return String.join("\n", stderr);
    }

    /** Writes the config of two real stdio servers into {@code dir}. */
    static Path config(Path dir) throws IOException {
        return config(dir, "", "");
    }

    /**
     * Writes the config of two real stdio servers (everything, type demo; memory, type kv, sticky: one store) into
     * {@code dir}, with a third server {@code extra} of type {@code extra} when {@code extraServer} (its entry in
     * mcpServers) is not empty; {@code defaults} is added to health.defaults.
     */
    static Path config(Path dir, String extraServer, String defaults) throws IOException {
        String entry = EverythingServer.entryPoint().toString();
        String memory = entry.replace("server-everything", "server-memory");
        Path file = dir.resolve("mcp.json");
        boolean extra = !extraServer.isEmpty();
        Files.writeString(file, "{\"mcpServers\": {"
                + "\"everything\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]},"
                + "\"memory\": {\"command\": \"node\", \"args\": [\"" + memory + "\"],"
                + " \"env\": {\"MEMORY_FILE_PATH\": \"" + dir.resolve("memory.jsonl") + "\"}}"
                + (extra ? ", \"extra\": " + extraServer : "") + "},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 5000, \"retryDelaySeconds\": 1" + defaults + "},"
                + " \"servers\": {\"everything\": {\"serverType\": \"demo\"},"
                + " \"memory\": {\"serverType\": \"kv\", \"balancing\": \"sticky\"}"
                + (extra ? ", \"extra\": {\"serverType\": \"extra\"}" : "") + "}}}");
        return file;
    }

    /** Stops it as a service manager would (SIGTERM) and waits. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /**
     * Calls {@code demo__echo} {@code times} times through the gateway at {@code url} (its /mcp, over HTTP with the
     * token when given), as a client would: one session, closed after.
     */
    static void echoThroughGateway(String url, java.util.Optional<String> token, int times, String message) {
        java.net.URI mcp = java.net.URI.create(url);
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        io.modelcontextprotocol.client.McpSyncClient client = io.modelcontextprotocol.client.McpClient.sync(
                io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport
                        .builder("http://127.0.0.1:" + mcp.getPort()).endpoint("/mcp").requestBuilder(request)
                        .jsonMapper(io.modelcontextprotocol.json.McpJsonDefaults.getMapper()).build())
                .requestTimeout(java.time.Duration.ofSeconds(60)).build();
        try {
            client.initialize();
            for (int i = 0; i < times; i++) {
                client.callTool(new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("demo__echo",
                        java.util.Map.of("message", message + " " + i)));
            }
        } finally {
            client.closeGracefully();
        }
    }
}
