package dev.mcphealth.infrastructure.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ShareServersUseCase;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import dev.mcphealth.infrastructure.persistence.PostgresDatabase;
import dev.mcphealth.testkit.PostgresServer;
import dev.mcphealth.testkit.TcpProxyDouble;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lease keepers of three monitors on one real PostgreSQL database, each beat driven by the test: the servers shared
 * out with none twice, taken over when a holder stops answering, fenced against a holder that was paused, kept by
 * their holder across an outage of the database.
 */
@Tag("serial")
class LeaseKeeperIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Set<String> SERVERS = Set.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");

    private PostgresDatabase db;
    private String name;
    private final List<LeaseKeeper> keepers = new ArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        name = PostgresServer.shared().database().database();
        db = PostgresDatabase.open(PostgresServer.shared().target(name));
    }

    @AfterEach
    void close() {
        keepers.forEach(LeaseKeeper::close);
        db.close();
        PostgresServer.shared().drop(name);
    }

    private LeaseKeeper keeper(String label) {
        return keeper(label, db);
    }

    private LeaseKeeper keeper(String label, PostgresDatabase on) {
        return keeper(label, on, System::nanoTime);
    }

    private LeaseKeeper keeper(String label, PostgresDatabase on, java.util.function.LongSupplier nanoTime) {
        return keeper(label, on, nanoTime, SERVERS);
    }

    private LeaseKeeper keeper(String label, PostgresDatabase on, java.util.function.LongSupplier nanoTime,
                               Set<String> servers) {
        LeaseKeeper k = new LeaseKeeper(on, servers, LEASE, nanoTime, "member-" + label);
        k.reportTo(new ShareServersUseCase() {
            @Override
            public boolean adopted(ServerId server) {
                heard.add(label + "+" + server.value());
                return false;
            }

            @Override
            public void released(ServerId server) {
                heard.add(label + "-" + server.value());
            }
        });
        keepers.add(k);
        return k;
    }

    private static void beat(LeaseKeeper... ks) {
        for (LeaseKeeper k : ks) {
            k.tick();
        }
    }

    private static void assertShared(LeaseKeeper... ks) {
        Set<String> all = new TreeSet<>();
        int total = 0;
        for (LeaseKeeper k : ks) {
            all.addAll(k.holding());
            total += k.holding().size();
        }
        assertEquals(new TreeSet<>(SERVERS), all, "every server held");
        assertEquals(SERVERS.size(), total, "none held twice");
    }

    /** Real time for the database's clock: leases lapse on it, not on a test clock. */
    private static void waitPast(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis() + 300);
    }

    /** Every server held by the member rendezvous hashing picks among {@code members}, by it alone. */
    private static void assertDivided(LeaseKeeper... members) {
        assertShared(members);
        List<String> ids = java.util.Arrays.stream(members).map(LeaseKeeper::instance).toList();
        for (LeaseKeeper k : members) {
            for (String s : SERVERS) {
                boolean its = dev.mcphealth.domain.routing.Rendezvous.owner(s, ids).orElseThrow().equals(k.instance());
                assertEquals(its, k.holding().contains(s), s + " and " + k.instance() + ": " + ids);
            }
        }
    }

    @Test
    void threeMonitorsShareTheServersAndTheOthersTakeOverWhenOneStopsAnswering() throws Exception {
        LeaseKeeper a = keeper("a");
        LeaseKeeper b = keeper("b");
        LeaseKeeper c = keeper("c");
        beat(a);
        assertEquals(SERVERS, a.holding(), "alone, it holds them all");
        beat(b, c); // live now, but a holds everything: they claim nothing yet
        assertEquals(Set.of(), b.holding());
        beat(a); // a hands over what is no longer its share
        waitPast(LeaseKeeper.HAND_OVER_GRACE);
        beat(b, c, a); // a lease handed over is taken at once, even by members that just started
        assertDivided(a, b, c);
        assertTrue(!b.holding().isEmpty() && !c.holding().isEmpty(), "each has a share: " + b.holding() + " "
                + c.holding());

        // c stops answering (killed): a and b beat on; its heartbeat ages and its leases lapse
        Set<String> ofC = c.holding();
        long until = System.nanoTime() + LEASE.plusSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(LEASE.toMillis() / 3);
            beat(a, b);
        }
        assertDivided(a, b);
        for (String s : ofC) {
            assertTrue(heard.contains("a+" + s) || heard.contains("b+" + s), "taken over: " + s + " " + heard);
        }
        assertTrue(a.owns(ServerId.of("not-leased")), "a server that is not shared out is everyone's (stdio)");
    }

    @Test
    void aPausedHolderCannotWriteForTheServersItLostAndLetsThemGo() throws Exception {
        LeaseKeeper a = keeper("a");
        beat(a);
        LeaseKeeper b = keeper("b");
        // a pauses (SIGSTOP): no beat for longer than the lease; b, alone live, takes everything
        waitPast(LEASE);
        beat(b);
        assertEquals(SERVERS, b.holding());
        try (Connection conn = db.connection()) {
            conn.setAutoCommit(false);
            assertEquals(Set.of("local"), a.writable(conn, Set.of("s0", "s1", "local")),
                    "a's rows of servers b holds are refused; a server not shared out passes");
            assertEquals(Set.of("s0", "s1"), b.writable(conn, Set.of("s0", "s1")));
            conn.rollback();
        }
        assertEquals(2, a.refused());
        beat(a); // a wakes: it lets them go, and b keeps them
        assertEquals(Set.of(), a.holding());
        assertTrue(heard.contains("a-s0"), heard.toString());
        assertEquals(SERVERS, b.holding());
    }

    @Test
    void aSurvivorBeatsJustAfterADeadMembersLeasesLapseAndTakesThemWithinTheLease() throws Exception {
        LeaseKeeper a = keeper("a");
        LeaseKeeper b = keeper("b");
        beat(a, b);
        beat(a);
        waitPast(LeaseKeeper.HAND_OVER_GRACE);
        beat(b, a);
        assertDivided(a, b);
        Set<String> ofB = b.holding();
        long beatNanos = LEASE.toNanos() / 3;
        assertEquals(beatNanos, a.nextBeatNanos(), "while b renews, a beats every beat");
        // b dies just after its beat: its leases lapse a lease after it; a, beating on, learns when
        long died = System.nanoTime();
        Thread.sleep(LEASE.toMillis() * 2 / 3 + 200);
        beat(a);
        long next = a.nextBeatNanos();
        assertTrue(next < beatNanos, "a's next beat comes when b's leases lapse, before a beat's time: " + next);
        Thread.sleep(next / 1_000_000 + 1);
        beat(a);
        long took = System.nanoTime() - died;
        assertEquals(SERVERS, a.holding(), "b's servers taken at that beat");
        assertTrue(took < LEASE.toNanos() + LEASE.toNanos() / 6, "within the lease (and the test's own steps): "
                + took / 1_000_000 + " ms");
        for (String s : ofB) {
            assertTrue(heard.contains("a+" + s), s);
        }
    }

    @Test
    void aMembersFirstBeatForgetsMembersSilentForADayAndTheViewJudgesByTheMembersLease() {
        PostgresServer.shared().execute(name, "INSERT INTO monitor_instances (instance_id, host, pid, started_at,"
                + " heartbeat_at) VALUES ('old/1/aa', 'old', 1, clock_timestamp() - interval '3 days',"
                + " clock_timestamp() - interval '2 days')");
        LeaseKeeper a = keeper("a");
        beat(a);
        // read by a process that has no MCP_HEALTH_CLUSTER_LEASE (15 s): the members' own lease is the view's
        dev.mcphealth.domain.monitoring.ClusterView view = new PostgresClusterView(db, LeaseKeeper.LEASE).read()
                .orElseThrow();
        assertEquals(LEASE, view.lease());
        assertEquals(List.of(a.instance()), view.members().stream().map(m -> m.id()).toList(),
                "the member silent for two days is forgotten");
        assertEquals(SERVERS, new TreeSet<>(view.heldBy(a.instance())));
    }

    @Test
    void aServerOnlySomeMembersKnowIsHeldByOneOfThemWhateverTheHashingSaysOfTheOthers() throws Exception {
        Set<String> newer = new TreeSet<>(SERVERS);
        List<String> added = List.of("x0", "x1", "x2", "x3", "x4", "x5");
        newer.addAll(added);
        LeaseKeeper a = keeper("a"); // the older configuration, without the x servers (a rolling update under way)
        LeaseKeeper b = keeper("b", db, System::nanoTime, newer);
        List<String> both = List.of(a.instance(), b.instance());
        assertTrue(added.stream().anyMatch(x -> dev.mcphealth.domain.routing.Rendezvous.owner(x, both).orElseThrow()
                .equals(a.instance())), "hashing over both members would give a some of them: the case tested");
        beat(a, b);
        beat(a); // a hands over the shared ones that are b's
        waitPast(LeaseKeeper.HAND_OVER_GRACE);
        beat(b, a);
        for (String x : added) {
            assertTrue(b.holding().contains(x), x + " held by the one member that knows it: " + b.holding());
        }
        for (String s : SERVERS) { // the servers both know are divided between both as hashing says
            boolean its = dev.mcphealth.domain.routing.Rendezvous.owner(s, both).orElseThrow().equals(a.instance());
            assertEquals(its, a.holding().contains(s), s);
            assertEquals(!its, b.holding().contains(s), s);
        }
    }

    @Test
    void aMemberPausedForLongerThanHalfTheLeaseProbesNoneOfItsServersUntilABeatBegunAfterThePause() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        // its path to the database, to be closed (connections reset, new ones refused)
        TcpProxyDouble path = TcpProxyDouble.to(PostgresServer.shared().port());
        DatabaseTarget.Postgres direct = PostgresServer.shared().target(name);
        try (path;
             PostgresDatabase its = PostgresDatabase.open(new DatabaseTarget.Postgres(direct.host(), path.port(),
                     direct.database(), direct.user(), direct.password(), direct.parameters()))) {
            pausedMemberProbesNothingUntilABeatAfterThePause(clock, path, its);
        }
    }

    private void pausedMemberProbesNothingUntilABeatAfterThePause(java.util.concurrent.atomic.AtomicLong clock,
                                                                 TcpProxyDouble path, PostgresDatabase its) {
        LeaseKeeper a = keeper("a", its, clock::get);
        ServerId s0 = ServerId.of("s0");
        long step = LeaseKeeper.WATCH_EVERY.toNanos();
        long bound = LEASE.toNanos() / 2; // a pause past half the lease may have cost a lease
        assertFalse(a.owns(s0), "nothing before its first beat");
        beat(a);
        assertTrue(a.owns(s0));
        // no beat ends for a long while (a database that does not answer), but the process runs: it probes on
        for (long waited = 0; waited < LEASE.toNanos() * 2; waited += step) {
            clock.addAndGet(step);
            a.watchForPause();
            assertTrue(a.owns(s0), "running, its beats waiting on the database, after " + waited / 1_000_000 + " ms");
        }
        // paused (SIGSTOP) past half the lease: on waking, before its watch has even run, it probes nothing
        clock.addAndGet(bound + step);
        assertFalse(a.owns(s0), "just woken from a pause longer than a beat");
        a.watchForPause();
        assertFalse(a.owns(s0), "the pause seen: nothing until a beat begun after it");
        clock.addAndGet(step);
        beat(a);
        assertTrue(a.owns(s0), "a beat after the pause found the lease still its own");
        assertTrue(a.owns(ServerId.of("not-leased")), "a server not shared out is always probed");
        // a stall under half the lease is no pause
        clock.addAndGet(bound - step);
        a.watchForPause();
        assertTrue(a.owns(s0));
        // paused again: the beats before the pause do not count
        clock.addAndGet(bound + step);
        a.watchForPause();
        assertFalse(a.owns(s0));
        // and a beat that cannot reach the database says nothing of what is still its own
        path.close();
        clock.addAndGet(step);
        beat(a);
        a.watchForPause();
        assertFalse(a.owns(s0), "a failed beat after a pause confirms nothing");
    }

    @Test
    void aHolderKeepsItsServersOverAnOutageOfTheDatabaseAndTheOthersDoNotSnatchThem() throws Exception {
        try (PostgresServer own = PostgresServer.start()) {
            own.execute("postgres", "CREATE DATABASE cluster");
            try (PostgresDatabase one = PostgresDatabase.open(own.target("cluster"));
                 PostgresDatabase two = PostgresDatabase.open(own.target("cluster"))) {
                LeaseKeeper a = keeper("a", one);
                beat(a);
                LeaseKeeper b = keeper("b", two);
                beat(b);
                assertEquals(SERVERS, a.holding());

                own.stop();
                waitPast(LEASE);
                // the database away past the lease: each keeps what it holds, and goes on beating, a beat failing
                // bringing the next closer (a quarter of a beat), so that a holder renews soon after it is back
                beat(b);
                beat(a);
                assertEquals(SERVERS, a.holding());
                assertTrue(a.nextBeatNanos() <= LEASE.dividedBy(12).toNanos(), "a beat after a failed one comes in a"
                        + " quarter of a beat: " + a.nextBeatNanos() + " ns");
                own.startAgain();
                // b beats first: every lease has lapsed, but b was away too and leaves them to their holder for now
                beat(b);
                assertEquals(Set.of(), b.holding());
                try (Connection conn = one.connection()) {
                    conn.setAutoCommit(false);
                    SQLException lapsed = assertThrows(SQLException.class, () -> a.writable(conn, Set.of("s0")));
                    assertTrue(lapsed.getMessage().contains("lapsed while the database was away"),
                            lapsed.getMessage());
                    conn.rollback();
                }
                beat(a); // a's tokens are still in the rows: renewed (and b's share handed over, b being live again)
                try (Connection conn = one.connection()) {
                    conn.setAutoCommit(false);
                    assertEquals(SERVERS, a.writable(conn, SERVERS), "its rows of the outage get in, all of them");
                    conn.rollback();
                }
                assertTrue(!a.holding().isEmpty() && a.holding().size() < SERVERS.size(), a.holding().toString());
                assertEquals(0, a.refused());
                assertTrue(a.nextBeatNanos() > LEASE.dividedBy(12).toNanos(), "a beat after one that worked: a beat");
            }
        }
    }

    /**
     * After an outage the pool tries again at a back-off of up to 5 s, and its connections may all be busy with writes:
     * a holder's beat must not wait for it, or a member that saw the database back sooner takes its lapsed leases.
     */
    @Test
    void aBeatNeedsNoConnectionOfThePool() throws Exception {
        try (PostgresDatabase one = PostgresDatabase.open(PostgresServer.shared().target(name))) {
            List<Connection> busy = new ArrayList<>();
            try {
                while (true) {
                    try {
                        busy.add(one.connection());
                    } catch (SQLException e) {
                        break; // every connection of the pool taken: the next waited 3 s and was refused
                    }
                }
                assertTrue(busy.size() >= 2, "the pool lent " + busy.size());
                LeaseKeeper a = keeper("a", one);
                beat(a);
                assertEquals(SERVERS, a.holding(), "its beat got through with the pool exhausted");
                a.close();
                try (Connection c = PostgresServer.shared().connect(name);
                     java.sql.Statement st = c.createStatement();
                     java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM server_leases")) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1), "and its stop gave every lease up");
                }
            } finally {
                for (Connection c : busy) {
                    c.close();
                }
            }
        }
    }
}
