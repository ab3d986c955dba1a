package dev.mcphealth.application.port.out;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The outbox in memory: the fake {@link OutboxContract} holds to the SQLite outbox's rules. A new service over the
 * same instance is a restart. {@link #failNext} makes the next call of one operation fail as a full disk would,
 * changing nothing.
 */
public final class InMemoryOutbox implements OutboxPort {
    /** The operations {@link #failNext} can make fail. */
    public enum Operation { ADD, CLAIM, RELEASE, SETTLE }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final List<Operation> failing = new ArrayList<>();
    private long lastId;

    /** The next call of {@code op} throws {@link StorageUnavailableException} and changes nothing. */
    public synchronized InMemoryOutbox failNext(Operation op) {
        failing.add(op);
        return this;
    }

    private void maybeFail(Operation op) {
        if (failing.remove(op)) {
            throw new StorageUnavailableException("cannot " + op.name().toLowerCase() + " in the outbox: disk is full",
                    null);
        }
    }

    @Override
    public synchronized long add(Call call, Instant at) {
        maybeFail(Operation.ADD);
        if (call.taskFrom().isPresent()) {
            long from = call.taskFrom().getAsLong();
            Entry plan = entries.get(from);
            if (plan == null || !plan.run().equals(call.run())) {
                throw new IllegalArgumentException("taskFrom " + from + " is not an entry of run \"" + call.run()
                        + "\"");
            }
        }
        long id = ++lastId;
        entries.put(id, Entry.added(id, call, at));
        return id;
    }

    @Override
    public synchronized Optional<Entry> entry(long id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized List<Entry> unsettled(long afterId, int limit) {
        return entries.tailMap(afterId, false).values().stream()
                .filter(e -> !e.state().settled())
                .limit(limit)
                .collect(Collectors.toList());
    }

    @Override
    public synchronized long countUnsettled() {
        return entries.values().stream().filter(e -> !e.state().settled()).count();
    }

    @Override
    public synchronized List<Entry> run(String run) {
        return entries.values().stream().filter(e -> e.run().equals(run)).collect(Collectors.toList());
    }

    @Override
    public synchronized boolean claim(long id, Map<String, Object> arguments) {
        maybeFail(Operation.CLAIM);
        Entry e = entries.get(id);
        if (e == null || e.state() != State.PENDING) {
            return false;
        }
        entries.put(id, new Entry(id, e.call().withArguments(arguments), e.createdAt(), State.SENDING,
                e.attempts() + 1, e.lastError(), Optional.empty()));
        return true;
    }

    @Override
    public synchronized void release(long id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        Entry e = in(id, State.SENDING);
        maybeFail(Operation.RELEASE);
        entries.put(id, new Entry(id, e.call(), e.createdAt(), State.PENDING, e.attempts(), Optional.of(reason),
                Optional.empty()));
    }

    @Override
    public synchronized void settle(long id, Ending ending) {
        Entry e = in(id, ending instanceof Replied ? State.SENDING : State.PENDING);
        maybeFail(Operation.SETTLE);
        entries.put(id, new Entry(id, e.call(), e.createdAt(), ending.state(), e.attempts(), e.lastError(),
                Optional.of(ending)));
    }

    private Entry in(long id, State expected) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalStateException("no outbox entry " + id);
        }
        if (e.state() != expected) {
            throw new IllegalStateException("outbox entry " + id + " is " + e.state().code() + ", not "
                    + expected.code());
        }
        return e;
    }
}
