package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.TestClassArchive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged CLI ({@code target/mcp-health.jar}) run as a real process, as {@code bin/mcp-health} runs it: what it
 * prints on each stream, line by line as it comes, and the signals a user (or a crash) sends it. For the tests where
 * the process itself is what is tested: {@code kill -9}, a second monitor, faults of its database seen from outside.
 */
final class WatchProcess implements AutoCloseable {
    private final Process process;
    private final long startedNanos;
    private final Lines out;
    private final Lines err;

    private WatchProcess(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.out = new Lines(process.getInputStream(), "stdout of " + process.pid());
        this.err = new Lines(process.getErrorStream(), "stderr of " + process.pid());
    }

    /** The packaged CLI; fails with the fix when it was not built ({@code mvn package} runs before the ITs). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("user.dir"), "target", "mcp-health.jar");
        assertTrue(Files.exists(jar), "the packaged CLI at " + jar);
        return jar;
    }

    /** Starts {@code mcp-health ARGS...} in a JVM of its own, with this JVM's java and the default logging. */
    static WatchProcess start(String... args) {
        return start(List.of(), args);
    }

    /**
     * The class data sharing archive the CLI's processes start from once it is made, as {@code bin/mcp-health}'s do
     * (docs/benchmarks.md, "Cold start"): made from a {@code watch} of one server nobody listens for (on loopback),
     * two seconds long.
     */
    private static final TestClassArchive ARCHIVE = new TestClassArchive(
            Path.of(System.getProperty("user.dir"), "target", "it-cli.jsa"),
            Path.of(System.getProperty("user.dir"), "target", "mcp-health.jar").toString(),
            work -> List.of("-jar", jar().toString(), "watch", "--config",
                    TestClassArchive.oneServerNobodyListensFor(work).toString(), "--db",
                    work.resolve("health.db").toString(), "--interval", "1", "--duration", "2s"), "");

    /** Waits (up to two minutes) for the class data sharing archive: for a benchmark whose processes start alike. */
    static void awaitClassArchive() throws InterruptedException {
        ARCHIVE.awaitOptions(Duration.ofMinutes(2));
    }

    /**
     * {@code java JVM_OPTIONS... -jar mcp-health.jar ARGS...}: the command line of the packaged CLI, with the JIT as
     * {@code bin/mcp-health} sets it: a one-shot command (all but {@code watch} and {@code dashboard}) on its quick
     * tier only; and its class data sharing archive once made ({@link #ARCHIVE}).
     */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (args.length > 0 && !List.of("watch", "dashboard").contains(args[0])) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        cmd.addAll(ARCHIVE.options());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@link #start(String...)} in a JVM started with {@code jvmOptions} ({@code -Xms64m}, say). */
    static WatchProcess start(List<String> jvmOptions, String... args) {
        return start(java.util.Map.of(), jvmOptions, args);
    }

    /** {@link #start(List, String...)} with {@code env} added to this JVM's environment. */
    static WatchProcess start(java.util.Map<String, String> env, List<String> jvmOptions, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args));
        pb.environment().remove("MCP_HEALTH_LOG"); // what a user sees by default
        pb.environment().putAll(env);
        long started = System.nanoTime();
        try {
            return new WatchProcess(pb.start(), started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The processes it started that are alive now (its MCP servers), children and their children. */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** How long after its start {@code nanos} (a {@link System#nanoTime()}) was. */
    Duration sinceStart(long nanos) {
        return Duration.ofNanos(nanos - startedNanos);
    }

    /** The first stdout line matching {@code wanted}, with when it came; fails after {@code within} or at its exit. */
    Lines.Line awaitOut(Predicate<String> wanted, Duration within, String what) throws InterruptedException {
        return out.await(wanted, within, what, this);
    }

    /** The first stderr line matching {@code wanted}; fails after {@code within} or at its exit. */
    Lines.Line awaitErr(Predicate<String> wanted, Duration within, String what) throws InterruptedException {
        return err.await(wanted, within, what, this);
    }

    /** The first stdout line that came, if one did. */
    Optional<Lines.Line> firstOut() {
        return out.first();
    }

    /** Everything it wrote to stdout so far. */
    String out() {
        return out.text();
    }

    /** Everything it wrote to stderr so far. */
    String err() {
        return err.text();
    }

    /** SIGSTOP (paused, as a debugger, a long pause of the machine or a VM migration pauses it) or SIGCONT. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    /** SIGKILL ({@code kill -9}): nothing of it runs after; returns its exit code (137). */
    int kill9() throws InterruptedException {
        // through its handle: Process.destroyForcibly() would also close our ends of its pipes, and what it wrote
        // last, still in them, would be lost
        process.toHandle().destroyForcibly(); // SIGKILL on Linux
        return exit(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM, which the watch takes as Ctrl-C: it writes what it holds, says what it could not, and exits by itself;
     * returns its code.
     */
    int terminate() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM on Linux; Process.destroy() would close the pipes it still writes to
        return exit(Duration.ofSeconds(30));
    }

    /** Its exit code, waiting up to {@code within}; fails if it is still running then. */
    int exit(Duration within) throws InterruptedException {
        assertTrue(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS), "still running after " + within
                + "; stderr: " + err());
        out.closed(Duration.ofSeconds(5));
        err.closed(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Waits up to {@code time} for it to exit by itself; true if it did. A real wait: the process is real. */
    boolean exitsWithin(Duration time) throws InterruptedException {
        return process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL to it and to what it started, if still alive (a failed test must leave nothing running). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One output stream of the process, read on a thread of its own so that the process never blocks on it. */
    static final class Lines {
        /** A line and when it was read ({@link System#nanoTime()}). */
        record Line(String text, long nanos) {
        }

        private final List<Line> lines = new ArrayList<>();
        private boolean ended;

        Lines(InputStream in, String name) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        add(new Line(line, System.nanoTime()));
                    }
                } catch (IOException e) {
                    // the process is gone
                } finally {
                    end();
                }
            }, name);
            t.setDaemon(true);
            t.start();
        }

        private synchronized void add(Line line) {
            lines.add(line);
            notifyAll();
        }

        private synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized Optional<Line> first() {
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0));
        }

        synchronized String text() {
            StringBuilder b = new StringBuilder();
            lines.forEach(l -> b.append(l.text()).append('\n'));
            return b.toString();
        }

        synchronized Line await(Predicate<String> wanted, Duration within, String what, WatchProcess of)
                throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (wanted.test(lines.get(seen).text())) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("no " + what + (ended ? " before the stream ended" : " within " + within)
                            + "; stdout: " + of.out() + "\nstderr: " + of.err());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left); // woken by each line and by the end of the stream
            }
        }

        synchronized void closed(Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (!ended && deadline - System.nanoTime() > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
            }
        }
    }
}
