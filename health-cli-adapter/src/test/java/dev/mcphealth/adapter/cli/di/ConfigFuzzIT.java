package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.testkit.ChaosFigures;
import dev.mcphealth.testkit.EverythingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated configuration files ({@link HostileConfigs}: valid ones and hostile shapes of every kind), each loaded by
 * the real {@link ConfigLoader} in this JVM, and a sample of them given to the CLI as a real process
 * ({@code mcp-health check --config}). Loading never crashes: a file loads, or is refused with one
 * {@link ConfigException} whose message is one printable line that names the file, shows no Java and no secret. The
 * CLI refuses every refused file with exit 3 and that one line on stderr, and shows no stack trace or secret for the
 * others either. The suite runs 300 files (20 through the CLI), the campaign ({@code -Pchaos}) 10,000 (200);
 * {@code -Dmcphealth.chaos.configs=N}, {@code -Dmcphealth.chaos.configsCli=N} and {@code -Dmcphealth.fuzz.seed=S}
 * (printed) choose them.
 */
class ConfigFuzzIT {
    static final int CONFIGS = ChaosFigures.scale("mcphealth.chaos.configs", 300, 10_000);
    static final int THROUGH_CLI = ChaosFigures.scale("mcphealth.chaos.configsCli", 20, 200);
    static final long SEED = Long.getLong("mcphealth.fuzz.seed", new Random().nextLong());
    /**
     * Java's insides: what {@link ChaosServersIT#LEAK} catches, and a {@code Class.method()} as libraries name their
     * limits in messages.
     */
    static final Pattern LEAK = Pattern.compile(ChaosServersIT.LEAK.pattern()
            + "|\\b[A-Z][A-Za-z0-9]+\\.[a-z][A-Za-z0-9]*\\(\\)|\\bat \\[Source");
    /** The longest message that is still one line a person reads. */
    static final int MAX_MESSAGE = 1000;

    /**
     * Logging is set up once per JVM, by whichever test makes the first logger (reading the database here does): set
     * it as Main does and as the other CLI tests do, so that the order the tests run in changes nothing.
     */
    @BeforeAll
    static void logAsMainDoes() {
        Main.configureLogging("info");
    }

    @TempDir
    Path dir;

    /** What went wrong with one file, to be listed at the end (all of them, not only the first). */
    private final List<String> problems = new ArrayList<>();

    private void problem(int n, HostileConfigs.Case c, String what) {
        if (problems.size() < 30) {
            problems.add("#" + n + " (" + c + "): " + what);
        }
    }

    @Test
    void everyGeneratedConfigurationLoadsOrIsRefusedInOneClearLine() throws Exception {
        int port = EverythingServer.freeLoopbackPort(); // nothing listens there
        System.out.println("ConfigFuzzIT seed " + SEED + " (-Dmcphealth.fuzz.seed=" + SEED + " repeats it), "
                + CONFIGS + " configurations, " + THROUGH_CLI + " through the CLI");
        List<HostileConfigs.Case> cases = HostileConfigs.generate(SEED, CONFIGS, port);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // the CLI finds only node on its PATH: whatever a generated command is, it cannot be another program
        Files.createSymbolicLink(bin.resolve("node"), Path.of(whichNode()));
        Path file = dir.resolve("mcp.json");
        int every = Math.max(1, CONFIGS / Math.max(1, THROUGH_CLI));
        int valid = 0;
        int refused = 0;
        int crashes = 0;
        int stackTraces = 0;
        int secretsOut = 0;
        int cliRuns = 0;
        int cliRefused = 0;
        long slowestNanos = 0;
        String slowest = "";
        for (int n = 0; n < cases.size(); n++) {
            HostileConfigs.Case c = cases.get(n);
            Files.write(file, c.bytes());
            ConfigLoader loader = new ConfigLoader(Map.of(HostileConfigs.SECRET_VAR, c.envSecret(),
                    HostileConfigs.PLAIN_VAR, HostileConfigs.PLAIN_VALUE)::get);
            String message = null;
            long began = System.nanoTime();
            try {
                loader.load(file);
                valid++;
            } catch (ConfigException e) {
                refused++;
                message = e.getMessage();
            } catch (Throwable t) {
                crashes++;
                problem(n, c, "crashed: " + t);
            }
            long took = System.nanoTime() - began;
            if (took > slowestNanos) {
                slowestNanos = took;
                slowest = c.toString();
            }
            if (message != null) {
                String prefix = file.normalize() + ": ";
                if (!message.startsWith(prefix)) {
                    problem(n, c, "does not start with the file's name: " + cut(message));
                }
                if (message.length() > MAX_MESSAGE || Printable.firstUnsafe(message) >= 0) {
                    problem(n, c, "not one printable line (" + message.length() + " chars): " + cut(message));
                }
                if (LEAK.matcher(message).find()) {
                    stackTraces++;
                    problem(n, c, "Java in the message: " + cut(message));
                }
                if (leaks(message, c)) {
                    secretsOut++;
                    problem(n, c, "a secret in the message: " + cut(message));
                }
            }
            if (n % every == 0 && cliRuns < THROUGH_CLI) {
                cliRuns++;
                Cli run = cli(file, bin, c);
                boolean wasRefused = message != null;
                cliRefused += wasRefused ? 1 : 0;
                String all = run.out + run.err;
                if (LEAK.matcher(all).find()) {
                    stackTraces++;
                    problem(n, c, "CLI: Java in its output: " + cut(all));
                }
                if (leaks(all, c)) {
                    secretsOut++;
                    problem(n, c, "CLI: a secret in its output: " + cut(all));
                }
                if (wasRefused) {
                    List<String> lines = run.err.lines().toList();
                    if (run.exit != 3 || lines.size() != 1 || !lines.get(0).startsWith("mcp-health: ")
                            || !run.out.isEmpty()) {
                        problem(n, c, "CLI: refused, so exit 3 and one line on stderr; got exit " + run.exit
                                + ", stderr " + cut(run.err) + ", stdout " + cut(run.out));
                    }
                } else if (run.exit != 2 && run.exit != 3) {
                    // loaded: its servers cannot start (no such script, nothing listening), or none is enabled
                    problem(n, c, "CLI: a valid file gives exit 2 or 3, got " + run.exit + ": " + cut(run.err));
                }
            }
        }
        ChaosFigures.record("configs", String.format(Locale.ROOT, "%d generated files (seed %d): %d valid, %d refused;"
                        + " crashes %d, stack traces or class names %d, secrets out %d; %d through the CLI (%d of them"
                        + " refused, exit 3 with one line); slowest load %.1f ms (%s)", CONFIGS, SEED, valid, refused,
                crashes, stackTraces, secretsOut, cliRuns, cliRefused, slowestNanos / 1e6, slowest));
        assertEquals(List.of(), problems, "seed " + SEED);
        assertEquals(0, crashes);
        assertTrue(valid > 0 && refused > 0, "both kinds were generated: " + valid + " valid, " + refused + " refused");
    }

    /** The checks above can fail: each sees what it is for. */
    @Test
    void theChecksSeeWhatTheyAreFor() throws Exception {
        Path file = dir.resolve("by-hand.json");
        String secret = "SkPlacedWhereItIsQuoted";
        Files.writeString(file, "{\"mcpServers\": {\"a\": {\"type\": \"" + secret + "\"}}}");
        String message = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.<String, String>of()::get).load(file)).getMessage();
        assertTrue(leaks(message, new HostileConfigs.Case(new byte[0], List.of(secret.toUpperCase(Locale.ROOT)),
                "unused-secret", List.of("by hand"))), "a secret quoted back is seen (in any case): " + message);
        for (String java : List.of("not valid JSON: Document nesting depth (501) exceeds the maximum allowed (500,"
                + " from `StreamReadConstraints.getMaxNestingDepth()`)", "internal error: java.lang.IllegalStateException"
                + ": x", "boom\n\tat dev.mcphealth.x.Y.z(Y.java:12)")) {
            assertTrue(LEAK.matcher(java).find(), java);
        }
    }

    private static boolean leaks(String text, HostileConfigs.Case c) {
        String lower = text.toLowerCase(Locale.ROOT);
        return c.allSecrets().stream().anyMatch(s -> lower.contains(s.toLowerCase(Locale.ROOT)));
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "… (" + s.length() + " chars)" : s;
    }

    private record Cli(int exit, String out, String err) {
    }

    /** {@code mcp-health check --config FILE} as a real process, with the file's secret in its environment. */
    private Cli cli(Path file, Path bin, HostileConfigs.Case c) throws Exception {
        Path out = dir.resolve("cli.out");
        Path err = dir.resolve("cli.err");
        ProcessBuilder pb = new ProcessBuilder(WatchProcess.command(List.of(), "check", "--config", file.toString(),
                "--db", dir.resolve("cli.db").toString())).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("PATH", bin.toString());
        pb.environment().put(HostileConfigs.SECRET_VAR, c.envSecret());
        pb.environment().put(HostileConfigs.PLAIN_VAR, HostileConfigs.PLAIN_VALUE);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("check did not end within 120 s on " + c);
        }
        return new Cli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String whichNode() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "command -v node").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "node is on the PATH");
        return Path.of(path).toRealPath().toString();
    }
}
