package dev.mcphealth.adapter.cli.di;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mcp-health watch --json} as users run it ({@code java -jar mcp-health.jar}, the JVM's defaults), in a
 * process of its own so that what it costs is its own: its events (stdout, one JSON object a line) are kept as they
 * come, its stderr goes to a file, its peak resident memory is read from {@code /proc/<pid>/status}.
 */
final class MonitorProcess implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path stderr;
    /** Every stdout line, as written. */
    final List<String> lines = new CopyOnWriteArrayList<>();
    /** The stdout lines that are events (all of them, unless something else leaked onto stdout). */
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Object arrived = new Object();
    private final Thread reader;

    private MonitorProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::read, "monitor-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The packaged CLI ({@code target/mcp-health.jar}, built before the integration tests run). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("user.dir"), "target", "mcp-health.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the packaged CLI is missing at " + jar + " (mvn package builds it)");
        }
        return jar;
    }

    /** {@code java [jvmOptions] -jar mcp-health.jar args...}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts {@code watch --json --interval 1} on {@code config}, recording to {@code db}, in a JVM with
     * {@code jvmOptions} (none: the JVM's defaults, as {@code bin/mcp-health} runs it).
     */
    static MonitorProcess watch(Path config, Path db, Path stderr, String... jvmOptions) {
        try {
            Process p = new ProcessBuilder(command(List.of(jvmOptions), "watch", "--config", config.toString(), "--db",
                    db.toString(), "--json", "--interval", "1")).redirectError(stderr.toFile()).start();
            return new MonitorProcess(p, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                try {
                    events.add(JSON.readTree(line));
                } catch (RuntimeException notJson) {
                    // kept in lines: the test says that stdout holds events only
                }
                synchronized (arrived) {
                    arrived.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The first event (seen so far or to come within {@code within}) that {@code which} accepts. */
    JsonNode await(Predicate<JsonNode> which, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (arrived) {
            while (true) {
                for (JsonNode e : events) {
                    if (which.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("no " + what + " within " + within + "; events: " + lines
                            + "\nstderr: " + stderrText());
                }
                arrived.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** The events about one server. */
    List<JsonNode> of(String server) {
        return events.stream().filter(e -> server.equals(e.path("server").stringValue())).toList();
    }

    long pid() {
        return process.pid();
    }

    /** The process's peak resident set so far (VmHWM), in KiB. */
    long peakRssKiB() {
        return procStatus("VmHWM");
    }

    long procStatus(String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith(field + ":")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the monitor's /proc status", e);
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    String stderrText() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ctrl-C (SIGINT), as a person stops a watch; returns its exit code. */
    int stop() throws Exception {
        if (process.isAlive()) {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -INT " + process.pid() + " failed");
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the watch did not stop within 60 s of Ctrl-C");
        }
        reader.join(10_000);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
