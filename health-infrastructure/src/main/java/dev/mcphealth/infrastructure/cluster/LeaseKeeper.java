package dev.mcphealth.infrastructure.cluster;

import dev.mcphealth.application.port.in.ShareServersUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.WorkSharePort;
import dev.mcphealth.domain.routing.Rendezvous;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.persistence.Fence;
import dev.mcphealth.infrastructure.persistence.PostgresDatabase;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monitor's part in a cluster of monitors sharing a PostgreSQL database (docs/cluster.md). Every beat (a third of
 * the lease time) it says it is alive, extends the leases it holds, reads who else is alive, and makes its holdings
 * match its share: each remote server belongs to the live instance that rendezvous hashing picks, so every instance
 * computes the same division without talking to the others. A server of its share whose lease is free or lapsed is
 * claimed (and taken over: {@link ShareServersUseCase#adopted}); a server it holds that is no longer its share is
 * handed over (it stops probing it at once, and lets the lease lapse a moment later, so that the rows on their way
 * still get in); a lease that another instance took is let go ({@link ShareServersUseCase#released}).
 *
 * <p>It is the monitor's {@link WorkSharePort} (probe only what it holds) and the database's {@link Fence}: a write
 * carries the rows of a remote server only while the database says its lease is this instance's, with the token this
 * instance got when it claimed it. While the database is away it keeps probing what it holds (nobody can take a lease
 * meanwhile) and the rows wait; when it is back, each lease is extended if its token is still this instance's, and
 * the rows of the others are dropped, counted and said. Stdio servers are not leased: each host probes its own.
 */
public final class LeaseKeeper implements WorkSharePort, Fence, AutoCloseable {
    /** The lease time: an instance that stopped answering has its servers taken over within it and one beat. */
    public static final Duration LEASE = Duration.ofSeconds(15);
    /** How often members silent for a day are forgotten (by any member, at its first beat and then hourly). */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** How long after another instance's lease lapses (by the database's clock) a beat comes to claim it. */
    static final Duration LAPSE_MARGIN = Duration.ofMillis(25);
    private static final long NO_LAPSE = Long.MIN_VALUE;
    /** How often the process checks that it was not paused (a quarter of a beat when that is shorter). */
    static final Duration WATCH_EVERY = Duration.ofMillis(250);
    /** How long a handed-over lease stays, so that the rows on their way are written. */
    static final Duration HAND_OVER_GRACE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final PostgresDatabase db;
    private final String instance;
    private final String host;
    private final Set<String> leasable;
    private final Duration lease;
    private final Duration beat;
    /** Server -> the token of its lease: what this instance holds. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    /** Server -> when (nanoTime) to let it go: handed over, no longer probed, its rows still written. */
    private final Map<String, Long> handingOver = new ConcurrentHashMap<>();
    private final AtomicLong droppedServers = new AtomicLong();
    /** Two threads: the beats, which may wait on the database, and the watch for pauses, which never does. */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "mcp-health-cluster");
        t.setDaemon(true);
        return t;
    });
    private volatile ShareServersUseCase listener = new ShareServersUseCase() {
        @Override
        public boolean adopted(ServerId server) {
            return false;
        }

        @Override
        public void released(ServerId server) {
        }
    };
    /** When (nanoTime) the database was last found away (or this instance started). */
    private volatile long awaySince;
    /** When (nanoTime) the watch for pauses last ran: every {@link #WATCH_EVERY}, unless the process was paused. */
    private volatile long lastAwake;
    /** When (nanoTime) the watch last found the process had been paused past {@link #pauseBound}. */
    private volatile long pausedAt;
    /** When (nanoTime) the last beat that ended, whatever it found, had started. */
    private volatile long confirmedFrom;
    /**
     * A pause longer than this may have cost leases: half the lease. A lease lapses a lease after its last renewal,
     * which came at most a beat (a third of the lease) before the pause began, so a pause of up to half the lease
     * leaves it a sixth to spare; a stall of the machine shorter than that is not taken for one.
     */
    private final long pauseBound;
    /** How long a beat's (or the stop's) statement waits for the database's answer: a beat, 3 s at least. */
    private final int answerWithinMs;
    private volatile boolean stopped;
    /** Whether the last beat failed (the database away, or not answering): the next comes sooner, see nextBeatNanos. */
    private volatile boolean away;
    /**
     * The beats' own connection, outside the pool ({@link PostgresDatabase#connectionOfItsOwn}): a holder renews as
     * soon as the database answers again, not when the pool's back-off lets it. Only beats and the stop use it, and
     * they are synchronized.
     */
    private Connection own;
    /** When (nanoTime) the soonest lease of another instance lapses, if one runs ({@link #NO_LAPSE} if none). */
    private volatile long lapseAt = NO_LAPSE;
    /** When (nanoTime) silent members were last forgotten; only beats (synchronized) read and write these. */
    private long lastPrune;
    private boolean pruned;
    /** The monotonic clock (System::nanoTime, from the wiring): hand-over deadlines, how long the database was away. */
    private final java.util.function.LongSupplier nanoTime;

    /**
     * @param leasable the names of the servers shared out (the remote ones); any other is always this instance's
     * @param nanoTime a monotonic clock in nanoseconds
     */
    public LeaseKeeper(PostgresDatabase db, Set<String> leasable, Duration lease,
                       java.util.function.LongSupplier nanoTime) {
        this(db, leasable, lease, nanoTime, null);
    }

    /** As above, with its instance id given (tests: a division known in advance); null: host/pid/random. */
    LeaseKeeper(PostgresDatabase db, Set<String> leasable, Duration lease, java.util.function.LongSupplier nanoTime,
                String instance) {
        this.db = Objects.requireNonNull(db, "db");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.leasable = Set.copyOf(leasable);
        if (lease.compareTo(Duration.ofSeconds(3)) < 0 || lease.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("the lease time must be 3 s to 10 min, got " + lease.toMillis() / 1000.0
                    + " s");
        }
        this.lease = lease;
        this.beat = lease.dividedBy(3);
        // a host name as HOSTNAME gives it, whatever it holds: printable, no '/' (the id's separator), 100 at most
        String h = hostName().replaceAll("[^\\p{Alnum}._:-]", "_");
        this.host = h.isEmpty() ? "localhost" : h.length() > 100 ? h.substring(0, 100) : h;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.instance = instance != null ? instance
                : host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(random);
        this.pauseBound = lease.toNanos() / 2;
        this.answerWithinMs = (int) Math.max(3_000, beat.toMillis());
        // as if the database had just come back: a lease another instance let lapse is left to it for a lease time
        this.awaySince = nanoTime.getAsLong();
        this.lastAwake = awaySince;
        // no beat yet: none has confirmed anything
        this.pausedAt = awaySince - 1;
        this.confirmedFrom = awaySince - 2;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * The lease time {@code asked} names in seconds ({@code MCP_HEALTH_CLUSTER_LEASE}); {@link #LEASE} when null or
     * blank.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static Duration leaseOf(String asked) {
        if (asked == null || asked.isBlank()) {
            return LEASE;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(asked.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MCP_HEALTH_CLUSTER_LEASE is not a number of seconds: " + asked.strip(),
                    null);
        }
        if (!(seconds >= 3 && seconds <= 600)) {
            throw new IllegalArgumentException("MCP_HEALTH_CLUSTER_LEASE must be 3 to 600 seconds, got "
                    + asked.strip());
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** Who hears of servers coming into this instance's share and leaving it: the monitor, once it is built. */
    public void reportTo(ShareServersUseCase listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** This instance's id: host/pid/random. */
    public String instance() {
        return instance;
    }

    public Duration lease() {
        return lease;
    }

    /** Takes this instance's share now (so that its first probes are of it), then keeps it every beat. */
    public void start() {
        lastAwake = nanoTime.getAsLong();
        tick();
        lastAwake = nanoTime.getAsLong(); // a first beat that took long (many servers taken over) is no pause
        next(nextBeatNanos());
        long watch = Math.min(WATCH_EVERY.toMillis(), beat.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::watchForPause, watch, watch, TimeUnit.MILLISECONDS);
    }

    /**
     * Notes a pause of the whole process (SIGSTOP, a long GC, a migrated VM): this runs every {@link #WATCH_EVERY} and
     * touches no database, so a gap longer than a beat since its last run means the process was not running. A beat
     * that waits on a database that does not answer is no pause: the member probes on meanwhile.
     */
    void watchForPause() {
        try {
            long now = nanoTime.getAsLong();
            if (now - lastAwake > pauseBound) {
                pausedAt = now;
                LOG.warn("this monitor was paused for {} s; it probes none of its shared servers until a beat says"
                        + " which are still its own", (now - lastAwake) / 1_000_000_000L);
            }
            lastAwake = now;
        } catch (Throwable e) {
            // never ends the schedule, whatever it was (even out of memory): a watch that stopped would stop the
            // probes of every server held while the beats kept their leases
            try {
                LOG.error("the cluster's pause watch failed unexpectedly: {}", Faults.describe(e));
            } catch (Throwable ignored) {
                // nothing more to do
            }
        }
    }

    /**
     * Whether this instance probes {@code server} now: a server not shared out always; a leased one while it holds the
     * lease and is not handing it over, and only while the process is known to have run on: one that was paused (by
     * SIGSTOP, a long GC, a migrated VM) for longer than a beat may have lost its leases, and neither probes nor acts
     * until a beat begun after the pause has said which are still its own. While the database is away or does not
     * answer the beats go on (and fail, or wait), and it probes on.
     */
    @Override
    public boolean owns(ServerId server) {
        String name = server.value();
        if (!leasable.contains(name)) {
            return true;
        }
        // running() first: a beat that lets a server go ends after removing it, so one seen to have ended is seen
        // to have let it go
        return running() && held.containsKey(name) && !handingOver.containsKey(name);
    }

    /** Not paused now (the watch ran within a beat) nor since the last beat that ended began. */
    private boolean running() {
        return nanoTime.getAsLong() - lastAwake <= pauseBound && confirmedFrom - pausedAt > 0;
    }

    /** The servers this instance holds now (not those being handed over). */
    public Set<String> holding() {
        Set<String> out = new TreeSet<>(held.keySet());
        out.removeAll(handingOver.keySet());
        return out;
    }

    /** Servers whose rows a write refused since start because another instance held them. */
    public long refused() {
        return droppedServers.get();
    }

    @Override
    public Set<String> writable(Connection c, Set<String> servers) throws SQLException {
        Set<String> out = new TreeSet<>();
        Set<String> leased = new TreeSet<>();
        for (String s : servers) {
            (leasable.contains(s) ? leased : out).add(s);
        }
        if (leased.isEmpty()) {
            return out;
        }
        Map<String, ClusterLeases.Held> rows = ClusterLeases.check(c, leased);
        int lapsed = 0;
        for (String s : leased) {
            Long mine = held.get(s);
            ClusterLeases.Held h = rows.get(s);
            if (mine != null && h != null && h.owner().equals(instance) && h.token() == mine) {
                if (h.live()) {
                    out.add(s);
                } else if (!handingOver.containsKey(s)) {
                    lapsed++; // its own, lapsed while the database was away: renewed at the next beat
                } else {
                    droppedServers.incrementAndGet(); // handed over and lapsed: the next holder's now
                }
            } else {
                droppedServers.incrementAndGet();
                LOG.warn("{}: its rows are not written: another monitor holds it now (its lease passed while this one"
                        + " was paused or away)", s);
            }
        }
        if (lapsed > 0) {
            throw new SQLException("the leases of " + lapsed + " server" + (lapsed == 1 ? "" : "s") + " lapsed while"
                    + " the database was away and are being renewed; their rows wait");
        }
        return out;
    }

    /** A beat that never ends the schedule: whatever it throws is said, and the next beat comes. */
    private void beat() {
        try {
            tick();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e; // no more beats: the leases lapse and the others take the servers
            }
            LOG.error("the cluster's beat failed unexpectedly: {}", Faults.describe(e));
        }
        next(nextBeatNanos());
    }

    private void next(long delayNanos) {
        if (stopped) {
            return;
        }
        try {
            timer.schedule(this::beat, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    /**
     * When the next beat comes: a beat after this one, or sooner, just after another instance's lease of a server
     * this one may take lapses (its holder died, was paused or cut off, or handed it over), so that the server is
     * taken over within the lease and not a beat later. A holder that beats renews long before that. After a beat that
     * failed, a quarter of a beat.
     */
    long nextBeatNanos() {
        // while the database is away, a quarter of a beat: a holder renews soon after it answers again, well within
        // the lease time the others leave it to (they try as often, and wait a lease from their own last failure)
        long delay = away ? beat.toNanos() / 4 : beat.toNanos();
        long lapse = lapseAt;
        if (lapse != NO_LAPSE) {
            long until = lapse - nanoTime.getAsLong() + LAPSE_MARGIN.toNanos();
            if (until > 0) { // passed already: a beat has been for it (or failed, and the next comes a beat later)
                delay = Math.max(LAPSE_MARGIN.toNanos(), Math.min(delay, until));
            }
        }
        return delay;
    }

    /** One beat: alive, leases extended, share computed, claims and hand-overs made. */
    synchronized void tick() {
        if (stopped) {
            return;
        }
        long started = nanoTime.getAsLong();
        if (beatOnce()) {
            // only a beat that read the leases says which are still this member's: after a pause, one that failed
            // (the database away or cut off) leaves the member probing none of them
            confirmedFrom = started;
        }
    }

    /** One beat; whether it reached the database and did all it had to. */
    private boolean beatOnce() {
        long now = nanoTime.getAsLong();
        lapseAt = NO_LAPSE; // known again only if this beat reaches the database
        handingOver.forEach((s, until) -> {
            if (now - until >= 0) {
                handingOver.remove(s);
                held.remove(s);
                release(s);
            }
        });
        try {
            beatOn(ownConnection(), now);
            away = false;
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!(e instanceof SQLException q) || q.getSQLState() == null || q.getSQLState().startsWith("08")
                    || q.getSQLState().startsWith("57")) {
                dropOwnConnection(); // lost, or in a state unknown: a new one at the next beat
            } // else the statement failed (a lease row locked past 1 s): the connection is kept
            away = true;
            if (now - awaySince > lease.toNanos()) {
                LOG.warn("the cluster's leases cannot be kept now ({}); the servers this monitor holds are still"
                        + " probed, their rows wait", e instanceof SQLException ? Database.reason(e)
                        : Faults.describe(e));
            }
            awaySince = nanoTime.getAsLong(); // when it failed: the connection may have been waited for
            return false;
        }
    }

    private void beatOn(Connection c, long now) throws SQLException {
        ClusterLeases.heartbeat(c, instance, host, ProcessHandle.current().pid(), leasable, lease);
        Map<String, Long> renewed = ClusterLeases.renew(c, instance, holding(), lease);
        for (String s : List.copyOf(held.keySet())) {
            if (!Objects.equals(renewed.get(s), held.get(s)) && !handingOver.containsKey(s)) {
                held.remove(s);
                LOG.warn("{}: another monitor holds it now; this one stops probing it", s);
                release(s);
            }
        }
        List<ClusterLeases.Live> live = new java.util.ArrayList<>(ClusterLeases.live(c, lease));
        if (live.stream().noneMatch(l -> l.instance().equals(instance))) {
            live.add(new ClusterLeases.Live(instance, Optional.of(leasable)));
        }
        boolean takeLapsed = now - awaySince > lease.toNanos();
        for (String s : leasable) {
            // divided among the live members that know it: a server only some configurations have is still probed
            List<String> candidates = live.stream().filter(l -> l.knows(s)).map(ClusterLeases.Live::instance).toList();
            boolean mine = Rendezvous.owner(s, candidates).map(instance::equals).orElse(false);
            Long token = held.get(s);
            if (token != null && !mine && !handingOver.containsKey(s)) {
                ClusterLeases.handOver(c, s, instance, token, HAND_OVER_GRACE);
                handingOver.put(s, now + HAND_OVER_GRACE.toNanos());
            } else if (token == null && mine) {
                Optional<Long> claimed;
                try {
                    claimed = ClusterLeases.claim(c, s, instance, lease, takeLapsed);
                } catch (SQLException e) {
                    if (!"55P03".equals(e.getSQLState())) {
                        throw e;
                    }
                    continue; // its row is locked by a write of its holder in flight: at the next beat
                }
                if (claimed.isPresent()) {
                    // taken over before it is probed here: a probe in between would open its episode anew
                    adopt(s);
                    held.put(s, claimed.get());
                }
            }
        }
        forgetSilentMembers(c, now);
        // when the soonest lease of another instance lapses, in case it is not renewed before (see nextBeatNanos)
        Optional<Duration> lapse = ClusterLeases.nextLapse(c, instance, leasable);
        lapseAt = lapse.map(d -> nanoTime.getAsLong() + d.toNanos()).orElse(NO_LAPSE);
    }

    /** The beats' connection: the one kept while the server answers on it (asked for 1 s at most), else a new one. */
    private Connection ownConnection() throws SQLException {
        if (own != null) {
            if (own.isValid(1)) {
                return own;
            }
            dropOwnConnection();
        }
        // a server that stopped answering (frozen, or cut off without a reset) fails the beat within seconds; a lease
        // row locked by its holder's write in flight is skipped for this beat, never waited for
        own = db.connectionOfItsOwn(Duration.ofMillis(answerWithinMs), "SET lock_timeout = '1s'");
        return own;
    }

    private void dropOwnConnection() {
        Connection c = own;
        own = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("the cluster's connection did not close cleanly ({})", Database.reason(e));
            }
        }
    }

    /** At the first beat and hourly after, the members silent for a day are forgotten; a failure fails no beat. */
    private void forgetSilentMembers(Connection c, long now) {
        if (pruned && now - lastPrune < PRUNE_EVERY.toNanos()) {
            return;
        }
        try {
            ClusterLeases.prune(c);
            pruned = true;
            lastPrune = now;
        } catch (SQLException e) {
            LOG.debug("the members silent for a day were not forgotten now ({}); at the next beat",
                    Database.reason(e));
        }
    }

    private void adopt(String s) {
        try {
            listener.adopted(ServerId.of(s));
        } catch (RuntimeException e) {
            LOG.warn("{}: taken over, but its open episode could not be read ({}); its next probe starts afresh", s,
                    e instanceof StorageUnavailableException ? e.getMessage() : Faults.describe(e));
        }
    }

    private void release(String s) {
        try {
            listener.released(ServerId.of(s));
        } catch (RuntimeException e) {
            LOG.warn("{}: let go, but what this monitor knew of it could not be dropped ({})", s, Faults.describe(e));
        }
    }

    /** Stops keeping leases and gives up every one at once, for the other instances to take at their next beat. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        timer.shutdownNow();
        try {
            ClusterLeases.stop(ownConnection(), instance);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the cluster's leases could not be given up ({}); they lapse in {} s", e instanceof SQLException
                    ? Database.reason(e) : Faults.describe(e), lease.toSeconds());
        } finally {
            dropOwnConnection();
        }
        held.clear();
        handingOver.clear();
    }
}
