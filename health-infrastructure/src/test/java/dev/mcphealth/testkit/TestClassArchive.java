package dev.mcphealth.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A class data sharing archive for the JVMs the tests start (the MCP server, the CLI):
 * made once per build, in the background, from the classes one short run of the program loads
 * ({@code -XX:DumpLoadedClassList}, then {@code -Xshare:dump}), and mapped by every JVM started after it is there. The
 * JVMs started before go without it, as do all of them when it cannot be made: it only makes them start sooner.
 * Measured on 2 cores (2026-12-07, the test server on the JIT's quick tier, 8 s after its start): 3.4-3.9 s of CPU
 * without it, 2.4-2.6 s with it, and serving after 2.1-2.7 s against 1.3-1.5 s; making it costs about 14 s of one
 * core, once. The JVM checks the archive against the class path it was made for (the jars' sizes and times) and does
 * without one that no longer fits, silently ({@code -Xlog:cds=off}); one older than a jar of its class path is made
 * again. Several test JVMs of one build share it: the first to take its lock makes it, the others go without meanwhile.
 * In a whole module's run the first tests (run side by side) see it made; a test run alone sees it made meanwhile,
 * about 14 s of one core in its first seconds.
 */
public final class TestClassArchive {
    /** The prefix of a making's working directory, beside the archive. */
    private static final String WORK = "class-archive";

    private final Path archive;
    private final String classpath;
    private final Function<Path, List<String>> priming;
    private final String input;
    private final AtomicBoolean making = new AtomicBoolean();
    private volatile Thread maker;
    /** The priming run or the dump under way: ended with this JVM, so that none outlives the tests. */
    private volatile Process running;

    /**
     * @param archive   where it is kept (in the module's {@code target})
     * @param classpath the class path it is made for, as {@code -cp} takes it (a jar run with {@code -jar}: the jar)
     * @param priming   the run whose classes it holds, given a directory of its own: what follows {@code java} (JVM
     *                  options, then {@code -jar} and a jar, or a class, and the arguments); it must end by itself
     * @param input     what that run reads on its standard input (which is then closed)
     */
    public TestClassArchive(Path archive, String classpath, Function<Path, List<String>> priming, String input) {
        this.archive = archive.toAbsolutePath();
        this.classpath = classpath;
        this.priming = priming;
        this.input = input;
    }

    /**
     * The JVM options that map the archive, when it is made and newer than the class path's jars; else none, and it
     * is being made (started at the first call of this JVM).
     */
    public List<String> options() {
        if (current()) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        if (making.compareAndSet(false, true)) {
            Thread t = new Thread(this::make, "test-class-archive");
            t.setDaemon(true);
            maker = t;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Process p = running;
                if (p != null) {
                    p.destroyForcibly();
                }
            }, "test-class-archive-stop"));
            t.start();
        }
        return List.of();
    }

    /**
     * {@link #options()}, once the archive is made (waiting up to {@code within} for this JVM's making of it): for a
     * benchmark whose processes must all start alike.
     */
    public List<String> awaitOptions(java.time.Duration within) throws InterruptedException {
        List<String> now = options();
        Thread t = maker;
        if (now.isEmpty() && t != null) {
            t.join(within.toMillis());
            return options();
        }
        return now;
    }

    private boolean current() {
        try {
            if (!Files.isRegularFile(archive)) {
                return false;
            }
            // the JVM checks every jar it was made for, those a jar's manifest names too, and the runtime's modules;
            // one that does not fit is not used, and then not even the runtime's own archive is: never offered so
            FileTime made = Files.getLastModifiedTime(archive);
            List<Path> files = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "lib", "modules")));
            for (String entry : classpath.split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                files.add(jar);
                if (Files.isRegularFile(jar)) {
                    try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
                        java.util.jar.Manifest m = j.getManifest();
                        String named = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                        if (named != null) {
                            for (String n : named.trim().split("\\s+")) {
                                files.add(jar.resolveSibling(n));
                            }
                        }
                    }
                }
            }
            for (Path f : files) {
                if (Files.exists(f) && Files.getLastModifiedTime(f).compareTo(made) > 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void make() {
        Path lock = archive.resolveSibling(archive.getFileName() + ".lock");
        Path work = null;
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.tryLock()) {
            if (held == null || current()) {
                return; // another JVM of this build makes it, or has made it
            }
            // what a JVM that ended while it made one left (its thread dies with it): nobody else makes one now
            try (Stream<Path> left = Files.list(archive.getParent())) {
                left.filter(d -> d.getFileName().toString().startsWith(WORK)).forEach(TestClassArchive::delete);
            }
            work = Files.createTempDirectory(archive.getParent(), WORK);
            Path classes = work.resolve("classes");
            List<String> run = new ArrayList<>(List.of(java(), "-XX:DumpLoadedClassList=" + classes));
            run.addAll(priming.apply(work));
            Process p = new ProcessBuilder(run).redirectOutput(work.resolve("run.out").toFile())
                    .redirectError(work.resolve("run.err").toFile()).start();
            running = p;
            p.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return;
            }
            if (!Files.isRegularFile(classes) || Files.size(classes) == 0) {
                return;
            }
            Path made = work.resolve("archive.jsa");
            Process dump = new ProcessBuilder(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + classes,
                    "-XX:SharedArchiveFile=" + made, "-cp", classpath).redirectErrorStream(true)
                    .redirectOutput(work.resolve("dump.log").toFile()).start();
            running = dump;
            if (!dump.waitFor(180, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
                return;
            }
            if (dump.exitValue() == 0 && Files.isRegularFile(made)) {
                // in one step: no JVM maps half a file
                Files.move(made, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // the tests' JVMs go without it (a lock another thread of this JVM holds, a priming run not started)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = null;
            if (work != null) {
                delete(work);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // left in target, which the next clean removes
        }
    }

    /**
     * A configuration for a priming run, written in {@code dir}: one streamable-HTTP server on a loopback port nobody
     * listens on (its probes refused at once).
     */
    public static Path oneServerNobodyListensFor(Path dir) {
        Path config = dir.resolve("mcp.json");
        try {
            Files.writeString(config, "{\"mcpServers\": {\"x\": {\"type\": \"http\", \"url\": \"http://127.0.0.1:"
                    + EverythingServer.freeLoopbackPort() + "/mcp\"}}}");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return config;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
