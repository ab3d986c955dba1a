package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.ChaosFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the monitor at random moments, again and again, on one database file: {@code mcp-health watch}
 * as a real process over the real stdio servers of npm (server-everything, server-memory) at a 1 s interval. Before
 * each kill the test reads what is committed (another connection, read-only); after it, the file must pass SQLite's
 * integrity check and hold every row seen committed (acknowledged, then lost: none), the servers the watch started
 * must be gone with it, and the next watch must start (the kernel released the lock). One kill in three comes while a
 * server cannot start at all, and one in three right after a server was SIGKILLed and its episode is in the file, so
 * that episodes and alerts are open at the kill. A last clean watch over healthy servers must then leave no episode and
 * no alert open, and no episode may have lasted longer than it could have.
 *
 * <p>The suite kills 3 times; {@code -Pchaos} 100 times ({@code -Dmcphealth.chaos.kills=N}); the seed of the random
 * waits is printed, and {@code -Dmcphealth.chaos.seed=S} repeats them.
 */
class ChaosKillIT {
    private static final String SECTION = "kill -9";
    private static final Duration START = Duration.ofSeconds(30);
    /**
     * The rows a monitor writes, by table and by what identifies a row: its content, not its id alone (a row lost
     * leaves its id to the next one written), and for rows updated in place what stays when they are.
     */
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("integration_health_metrics",
                "id || ' ' || server_instance || ' ' || metric_type || ' ' || measured_at");
        KEYS.put("integration_failures", "id || ' ' || server_instance || ' ' || occurred_at");
        KEYS.put("health_alerts", "id");
        KEYS.put("server_status", "server_instance");
        KEYS.put("circuit_breaker_transitions", "id || ' ' || server_instance || ' ' || occurred_at");
        KEYS.put("failover_configurations", "primary_server_type");
    }

    /** What is going on when the kill comes. */
    private enum Moment {
        HEALTHY, SERVER_CANNOT_START, SERVER_JUST_KILLED
    }

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsTheMonitorLosesNoCommittedRowLeavesNoOrphanAndNoEpisodeOpenAfterACleanRun()
            throws Exception {
        int cycles = ChaosFigures.scale("mcphealth.chaos.kills", 3, 100);
        long seed = Long.getLong("mcphealth.chaos.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("[chaos] " + SECTION + ": seed " + seed + " (again: -Dmcphealth.chaos.seed=" + seed + ")");
        Random random = new Random(seed);
        String marker = dir.toAbsolutePath().toString();
        Path db = dir.resolve("health.db");
        Path healthy = StdioServers.config(dir.resolve("healthy.json"), marker, true);
        Path failing = StdioServers.config(dir.resolve("failing.json"), marker, false);

        Instant campaignStart = Instant.now();
        long began = System.nanoTime();
        long seen = 0;
        long lost = 0;
        int integrityFailures = 0;
        int orphans = 0;
        int serversSeen = 0;
        int killedWithOpenEpisode = 0;
        List<String> problems = new ArrayList<>();
        List<Duration> toFirstProbe = new ArrayList<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            Moment moment = Moment.values()[cycle % Moment.values().length];
            long waitMs = 300 + random.nextInt(3_701);
            Map<String, Set<String>> committed;
            long openAtKill;
            List<ProcessHandle> servers;
            try (WatchProcess watch = WatchProcess.start("watch", "--config",
                    (moment == Moment.SERVER_CANNOT_START ? failing : healthy).toString(), "--db", db.toString(),
                    "--interval", "1", "--json")) {
                // a real wait: the kill comes at a random moment of a real process's life
                assertFalse(watch.exitsWithin(Duration.ofMillis(waitMs)), "cycle " + cycle + ": the watch ended"
                        + " by itself: " + watch.err());
                if (moment == Moment.SERVER_JUST_KILLED) {
                    killEverythingAndAwaitItsEpisode(watch, db);
                }
                committed = committed(db);
                openAtKill = openEpisodes(db);
                servers = watch.descendants();
                assertEquals(137, watch.kill9(), "SIGKILL");
                watch.firstOut().ifPresent(first -> toFirstProbe.add(watch.sinceStart(first.nanos())));
                String err = watch.err();
                assertFalse(err.contains("in use by another monitor"), "cycle " + cycle + ": the lock of the"
                        + " killed watch before it was not free: " + err);
                assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
            }
            serversSeen += servers.size();
            orphans += orphans(servers, marker);
            if (openAtKill > 0) {
                killedWithOpenEpisode++;
            }
            if (!Files.exists(db)) {
                continue; // killed before it made the file
            }
            List<String> integrity = SqliteReads.readOnly(db, "PRAGMA integrity_check");
            if (!integrity.equals(List.of("ok"))) {
                integrityFailures++;
                problems.add("cycle " + cycle + ": integrity_check " + integrity);
            }
            for (Map.Entry<String, Set<String>> table : committed.entrySet()) {
                Set<String> missing = new HashSet<>(table.getValue());
                missing.removeAll(keys(db, table.getKey()));
                seen += table.getValue().size();
                lost += missing.size();
                if (!missing.isEmpty()) {
                    problems.add("cycle " + cycle + ": " + missing.size() + " rows of " + table.getKey()
                            + " seen committed before the kill and missing after it");
                }
            }
        }

        // one last clean watch over healthy servers: it carries on or closes what the killed ones left open
        Instant lastStart = Instant.now();
        List<ProcessHandle> servers;
        try (WatchProcess last = WatchProcess.start("watch", "--config", healthy.toString(), "--db", db.toString(),
                "--interval", "1", "--json")) {
            last.awaitErr(l -> l.startsWith("mcp-health: watching"), START, "the last watch's start (the lock free)");
            SqliteReads.poll("every episode closed and 3 probes of each server", Duration.ofSeconds(90), () ->
                    openEpisodes(db) == 0 && SqliteReads.count(db, "SELECT count(*) FROM (SELECT server_instance FROM"
                            + " integration_health_metrics WHERE metric_type = 'availability' AND measured_at >= '"
                            + SqliteReads.sqlTime(lastStart) + "' GROUP BY server_instance HAVING count(*) >= 3)")
                            == 2);
            servers = last.descendants();
            assertEquals(0, last.terminate(), "a clean stop records everything: " + last.err());
            last.firstOut().ifPresent(first -> toFirstProbe.add(last.sinceStart(first.nanos())));
        }
        serversSeen += servers.size();
        orphans += orphans(servers, marker);
        Instant campaignEnd = Instant.now();
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertEquals(List.of("ok"), SqliteReads.readOnly(db, "PRAGMA integrity_check"));
        long openFailures = SqliteReads.count(db, "SELECT count(*) FROM integration_failures WHERE resolved = 0");
        long openAlerts = SqliteReads.count(db, "SELECT count(*) FROM health_alerts WHERE resolved_at IS NULL");
        long episodes = SqliteReads.count(db, "SELECT count(*) FROM integration_failures");
        long alerts = SqliteReads.count(db, "SELECT count(*) FROM health_alerts");
        // an episode lasted at most from its start to the end of the campaign (1 s for the seconds' rounding)
        String end = SqliteReads.sqlTime(campaignEnd);
        List<String> tooLong = SqliteReads.readOnly(db, "SELECT server_instance || ' ' || occurred_at || ' ' ||"
                + " coalesce(resolution_time_ms, resolution_time_seconds * 1000) FROM integration_failures WHERE"
                + " coalesce(resolution_time_ms, resolution_time_seconds * 1000) > (julianday('" + end + "') -"
                + " julianday(occurred_at)) * 86400000 + 1000 OR occurred_at < '" + SqliteReads.sqlTime(
                campaignStart.minusSeconds(1)) + "'");
        List<String> alertsTooLong = SqliteReads.readOnly(db, "SELECT id FROM health_alerts WHERE resolved_at <"
                + " raised_at OR resolved_at > '" + end + "' OR raised_at < '" + SqliteReads.sqlTime(
                campaignStart.minusSeconds(1)) + "'");
        String longest = SqliteReads.readOnly(db, "SELECT coalesce(max(coalesce(resolution_time_ms,"
                + " resolution_time_seconds * 1000)), 0) FROM integration_failures").get(0);

        ChaosFigures.record(SECTION, cycles + " kills of a running watch (one database file; waits 0.3..4 s, seed "
                + seed + "; 1 in 3 while a server could not start, 1 in 3 right after a server was SIGKILLed), in "
                + took.toSeconds() + " s");
        ChaosFigures.record(SECTION, "integrity_check failures after a kill: " + integrityFailures + " of " + cycles);
        ChaosFigures.record(SECTION, "rows seen committed before a kill and missing after it: " + lost + " of "
                + seen + " rows");
        ChaosFigures.record(SECTION, "kills with a failure episode or alert open in the file: " + killedWithOpenEpisode
                + " of " + cycles);
        ChaosFigures.record(SECTION, "orphan server processes after a kill: " + orphans + " of " + serversSeen
                + " server processes");
        ChaosFigures.record(SECTION, "open after one clean watch: " + openFailures + " of " + episodes
                + " failure episodes, " + openAlerts + " of " + alerts + " alerts; longest episode " + longest
                + " ms, longer than it could have lasted: " + (tooLong.size() + alertsTooLong.size()));
        ChaosFigures.record(SECTION, "start to first probe: median " + median(toFirstProbe).toMillis() + " ms, max "
                + toFirstProbe.stream().max(Duration::compareTo).orElse(Duration.ZERO).toMillis() + " ms ("
                + toFirstProbe.size() + " of " + (cycles + 1) + " starts got that far before their kill)");

        assertEquals(List.of(), problems, "integrity and committed rows after each kill");
        assertEquals(0, orphans, "every server the killed watch started ended with it");
        assertTrue(killedWithOpenEpisode > 0 || cycles < Moment.values().length,
                "some kills came while an episode was open");
        assertEquals(0, openFailures + openAlerts, "nothing left open once the servers were seen healthy");
        assertEquals(List.of(), tooLong, "no episode lasted longer than it could have");
        assertEquals(List.of(), alertsTooLong, "no alert was resolved before it was raised or after the end");
    }

    /**
     * SIGKILLs the watch's server-everything (waiting for the watch to have started it), then waits until its failure
     * episode is committed: the watch notices the exit at once and writes the episode at its next flush.
     */
    private static void killEverythingAndAwaitItsEpisode(WatchProcess watch, Path db) throws Exception {
        ProcessHandle[] everything = new ProcessHandle[1];
        SqliteReads.poll("a server-everything started by the watch", START, () -> {
            everything[0] = watch.descendants().stream().filter(p -> p.info().arguments()
                    .map(a -> Arrays.asList(a).contains("stdio")).orElse(false)).findFirst().orElse(null);
            return everything[0] != null;
        });
        everything[0].destroyForcibly();
        everything[0].onExit().get(10, TimeUnit.SECONDS);
        SqliteReads.poll("the episode of the killed server in the file", Duration.ofSeconds(15), () ->
                Files.exists(db) && SqliteReads.count(db, "SELECT count(*) FROM integration_failures WHERE"
                        + " server_instance = 'everything' AND resolved = 0") > 0);
    }

    /** Open failure episodes and alerts in the file (0 before the schema exists). */
    private static long openEpisodes(Path db) throws SQLException {
        if (!Files.exists(db)) {
            return 0;
        }
        try {
            return SqliteReads.count(db, "SELECT (SELECT count(*) FROM integration_failures WHERE resolved = 0) +"
                    + " (SELECT count(*) FROM health_alerts WHERE resolved_at IS NULL)");
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                return 0;
            }
            throw e;
        }
    }

    /** The keys of every row committed now, by table (none before the file or its schema exists). */
    private static Map<String, Set<String>> committed(Path db) throws SQLException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (!Files.exists(db)) {
            return out;
        }
        for (String table : KEYS.keySet()) {
            out.put(table, keys(db, table));
        }
        return out;
    }

    private static Set<String> keys(Path db, String table) throws SQLException {
        try {
            return new HashSet<>(SqliteReads.readOnly(db, "SELECT " + KEYS.get(table) + " FROM " + table));
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("no such table") || m.contains("no such column")) {
                // killed before its migration, or between two (V1 made integration_failures, V2 its server_instance):
                // nothing was acknowledged, the monitor writes only once every migration is in
                return Set.of();
            }
            throw e;
        }
    }

    /**
     * The servers of a killed watch still running once they had time to see their stdin close: the ones it had
     * started ({@code servers}) and any other process with the test's marker (one started after they were listed).
     * Each is SIGKILLed here, so that the next cycle starts clean, and counted.
     */
    private static int orphans(List<ProcessHandle> servers, String marker) throws Exception {
        Set<ProcessHandle> all = new HashSet<>(servers);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            all.addAll(StdioServers.running(marker));
            all.removeIf(p -> !p.isAlive() || StdioServers.zombie(p));
            if (all.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            ProcessHandle any = all.iterator().next();
            try {
                any.onExit().get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillThere) {
                // look again
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
        return all.size();
    }

    private static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            return Duration.ZERO;
        }
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
